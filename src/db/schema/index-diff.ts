import { quoteIdent } from '../sql/column-type.js';
import { qualified, renderIndex, renderIndexColumns } from './ddl-render.js';
import type { Finding, PlanStep } from '../migrate/plan-types.js';
import type { IndexDef, TableDef } from './schema-model.js';

function sameDefinition(a: IndexDef, b: IndexDef): boolean {
  return a.kind === b.kind && renderIndexColumns({ ...a, using: undefined }).toLowerCase()
    === renderIndexColumns({ ...b, using: undefined }).toLowerCase();
}

const byName = (indexes: IndexDef[], name: string) => indexes.find((i) => i.name.toLowerCase() === name.toLowerCase());

/**
 * Indexes of one existing table. A plain index is added; a unique or primary key would constrain the rows already
 * there, and an index that differs under the same name would have to be dropped first, so both are findings.
 */
export function diffIndexes(
  database: string, live: TableDef, target: TableDef, addableColumns: Set<string>,
): { added: { step: PlanStep; index: IndexDef }[]; findings: Finding[] } {
  const added: { step: PlanStep; index: IndexDef }[] = [];
  const findings: Finding[] = [];
  const at = (index: string) => ({ database, table: live.name, index });
  for (const wanted of target.indexes) {
    const existing = byName(live.indexes, wanted.name);
    if (existing) {
      if (!sameDefinition(existing, wanted)) {
        findings.push({ severity: 'unsafe', ...at(wanted.name), reason: `index differs: live ${renderIndex(existing)}, target ${renderIndex(wanted)}` });
      }
      continue;
    }
    const twin = live.indexes.find((i) => sameDefinition(i, wanted));
    if (twin) {
      findings.push({ severity: 'note', ...at(wanted.name), reason: `same index exists as ${twin.name}; not added twice` });
      continue;
    }
    const missing = wanted.parts.filter((p) => !addableColumns.has(p.column.toLowerCase()));
    if (missing.length > 0) {
      findings.push({ severity: 'unsafe', ...at(wanted.name), reason: `needs column ${missing.map((p) => p.column).join(', ')}, which is not added` });
      continue;
    }
    if (wanted.kind === 'primary' || wanted.kind === 'unique') {
      findings.push({ severity: 'unsafe', ...at(wanted.name), reason: `new ${wanted.kind === 'primary' ? 'primary' : 'unique'} key would reject existing duplicate rows` });
      continue;
    }
    const kind = wanted.kind === 'index' ? 'INDEX' : `${wanted.kind.toUpperCase()} INDEX`;
    const step: PlanStep = {
      id: `${live.name}: add index ${wanted.name}`,
      kind: 'add-index',
      database,
      table: live.name,
      sql: `ALTER TABLE ${qualified(database, live.name)} ADD ${kind} ${quoteIdent(wanted.name)} ${renderIndexColumns(wanted)}`,
      online: true,
      check: { kind: 'index-exists', table: live.name, index: wanted.name },
    };
    added.push({ step, index: wanted });
  }
  for (const extra of live.indexes) {
    if (byName(target.indexes, extra.name) || target.indexes.some((i) => sameDefinition(i, extra))) continue;
    findings.push({ severity: 'kept', ...at(extra.name), reason: `index ${renderIndex(extra)} is not in the target; kept` });
  }
  return { added, findings };
}
