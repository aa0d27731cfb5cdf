import { classifyTypeChange, defaultKey } from './column-change.js';
import { quoteIdent, renderColumnType } from '../sql/column-type.js';
import { qualified, renderColumn } from './ddl-render.js';
import type { Finding, PlanStep } from '../migrate/plan-types.js';
import { effectiveCharset, type ColumnDef, type TableDef } from './schema-model.js';
import { webModelType } from './web-model-columns.js';

export interface TableContext {
  database: string;
  /** The TarsWeb database the target schema is of (the live one may be named otherwise). */
  targetDatabase: string;
  live: TableDef;
  target: TableDef;
}

export interface ColumnOutcome {
  step?: PlanStep;
  /** The column as the step leaves it. */
  column?: ColumnDef;
  findings: Finding[];
}

/** Compares one column present on both sides: a widening becomes a step, anything else a finding. */
export function diffColumn(ctx: TableContext, live: ColumnDef, target: ColumnDef): ColumnOutcome {
  const findings: Finding[] = [];
  const at = { database: ctx.database, table: ctx.live.name, column: live.name };
  const unsafe = (reason: string) => findings.push({ severity: 'unsafe', ...at, reason });
  const liveCharset = effectiveCharset(ctx.live, live);
  const targetCharset = effectiveCharset(ctx.target, target);

  if (liveCharset && targetCharset && liveCharset !== targetCharset) {
    unsafe(`charset change ${liveCharset} → ${targetCharset}: stored text would be converted`);
  } else {
    const targetCollation = target.collation ?? (target.charset ? undefined : ctx.target.collation);
    if (targetCollation && live.collation && targetCollation !== live.collation) {
      unsafe(`collation change ${live.collation} → ${targetCollation}: changes comparisons and unique keys`);
    }
  }
  if (live.nullable && !target.nullable) unsafe('NULL → NOT NULL: existing NULL values would be rejected or rewritten');
  if (!live.nullable && target.nullable) unsafe('NOT NULL → NULL is not a change we apply');
  const liveDefault = defaultKey(live);
  const targetDefault = defaultKey(target);
  if (liveDefault !== targetDefault && live.nullable === target.nullable) {
    unsafe(`default change ${liveDefault} → ${targetDefault}`);
  }
  if ((live.onUpdate ?? '') !== (target.onUpdate ?? '')) {
    unsafe(`ON UPDATE change ${live.onUpdate ?? 'none'} → ${target.onUpdate ?? 'none'}`);
  }
  if (live.autoIncrement !== target.autoIncrement) unsafe('AUTO_INCREMENT change');
  if ((live.comment ?? '') !== (target.comment ?? '')) {
    findings.push({ severity: 'note', ...at, reason: 'comment differs; not changed' });
  }

  const change = classifyTypeChange(live, target, liveCharset, targetCharset);
  const model = webModelType(ctx.targetDatabase, ctx.live.name, live.name);
  if (model && change.kind !== 'same') {
    findings.push({ severity: 'note', ...at, reason: `type left to TarsWeb, whose model sync sets ${model} at every start of the web (the sql file says ${renderColumnType(target)})` });
    return { findings };
  }
  if (change.kind === 'unsafe') unsafe(change.reason);
  if (change.kind !== 'widen') return { findings };
  // Everything but the type stays as it is live, so the widening cannot carry any other change along.
  const widened: ColumnDef = { ...live, dataType: target.dataType, length: target.length, args: target.args, values: target.values };
  const step: PlanStep = {
    id: `${ctx.live.name}: widen ${live.name} (${change.reason})`,
    kind: 'modify-column',
    database: ctx.database,
    table: ctx.live.name,
    sql: `ALTER TABLE ${qualified(ctx.database, ctx.live.name)} MODIFY COLUMN ${renderColumn(widened)}`,
    online: true,
    check: { kind: 'column-type', table: ctx.live.name, column: live.name, columnType: renderColumnType(widened) },
  };
  return { step, column: widened, findings };
}

/** A column only the target has: added after its left neighbour, if it can be added to existing rows. */
export function addColumn(ctx: TableContext, target: ColumnDef, after: string | undefined): ColumnOutcome {
  const at = { database: ctx.database, table: ctx.live.name, column: target.name };
  if (!target.nullable && !target.default && !target.autoIncrement) {
    return { findings: [{ severity: 'unsafe', ...at, reason: 'new NOT NULL column without a default: existing rows have no value for it' }] };
  }
  if (target.autoIncrement) {
    return { findings: [{ severity: 'unsafe', ...at, reason: 'new AUTO_INCREMENT column would renumber existing rows' }] };
  }
  const position = after === undefined ? 'FIRST' : `AFTER ${quoteIdent(after)}`;
  // Spelled out so the new column gets the target's charset even where the live table's default differs.
  const charset = effectiveCharset(ctx.target, target);
  const column: ColumnDef = charset ? { ...target, charset } : target;
  return {
    findings: [],
    column,
    step: {
      id: `${ctx.live.name}: add column ${target.name}`,
      kind: 'add-column',
      database: ctx.database,
      table: ctx.live.name,
      sql: `ALTER TABLE ${qualified(ctx.database, ctx.live.name)} ADD COLUMN ${renderColumn(column)} ${position}`,
      online: true,
      check: { kind: 'column-exists', table: ctx.live.name, column: target.name },
    },
  };
}
