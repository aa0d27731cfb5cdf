import { qualified } from './ddl-render.js';
import { SMALL_ROW_FORMATS, describeOverflow, keyOverflows, type KeyOverflow } from './key-size.js';
import type { Finding, PlanStep } from '../migrate/plan-types.js';
import type { ServerInfo } from '../server-info.js';
import type { ColumnDef, IndexDef, TableDef } from './schema-model.js';

/** A planned step that changes what an index holds: a widened or added column, or an added index. */
export interface KeyChange {
  step: PlanStep;
  column?: ColumnDef;
  index?: IndexDef;
}

export interface RowFormatContext {
  database: string;
  live: TableDef;
  target: TableDef;
  server: ServerInfo;
  /** The charset of columns that name none: the database's default. */
  fallbackCharset: string;
}

export interface RowFormatOutcome {
  /** A step to run before the table's other steps, when its rows must become DYNAMIC first. */
  steps: PlanStep[];
  /** Steps that would fail half way on the server, replaced by findings. */
  refused: Set<PlanStep>;
  findings: Finding[];
}

/** Why no row format change can make room here; absent when ROW_FORMAT=DYNAMIC would. */
export function rowFormatBlocker(server: ServerInfo): string | undefined {
  return server.dynamicBlocked ?? (server.largePrefix ? undefined : 'innodb_large_prefix=OFF');
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const touches = (change: KeyChange, index: IndexDef) =>
  change.index === index || (change.column !== undefined && index.parts.some((p) => same(p.column, change.column!.name)));

/** The table as it will be once `changes` ran: widened and added columns, added indexes. */
function afterChanges(live: TableDef, changes: KeyChange[]): TableDef {
  const columns = live.columns.map((c) => changes.find((ch) => ch.column && same(ch.column.name, c.name))?.column ?? c);
  for (const { column } of changes) if (column && !columns.some((c) => same(c.name, column.name))) columns.push(column);
  return { ...live, columns, indexes: [...live.indexes, ...changes.flatMap((c) => (c.index ? [c.index] : []))] };
}

/**
 * Checks the keys a table's planned steps touch against the limits of its live row format, so that a widening
 * past 767 bytes on COMPACT or REDUNDANT rows is preceded by ROW_FORMAT=DYNAMIC, or reported before anything runs
 * where the server cannot do that, instead of the server refusing it half way through the migration.
 */
export function planRowFormat(ctx: RowFormatContext, changes: KeyChange[]): RowFormatOutcome {
  const { live, target, server } = ctx;
  const at = { database: ctx.database, table: live.name };
  const current = (live.rowFormat ?? server.defaultRowFormat).toUpperCase();
  const blocker = rowFormatBlocker(server);
  const canRebuild = SMALL_ROW_FORMATS.has(current) && !blocker;
  const overflowsOf = (kept: KeyChange[]) => {
    const after = afterChanges(live, kept);
    const touched = after.indexes.filter((i) => kept.some((c) => touches(c, i)));
    return { touched, overflows: keyOverflows(after, touched, current, server, ctx.fallbackCharset) };
  };
  const outcome: RowFormatOutcome = { steps: [], refused: new Set(), findings: [] };
  const all = overflowsOf(changes);
  // What no row format can hold here is refused first; DYNAMIC is then planned only if the rest still needs it.
  for (const overflow of all.overflows.filter((o) => !canRebuild || !o.fitsDynamic)) {
    const index = all.touched.find((i) => i.name === overflow.index)!;
    for (const change of changes.filter((c) => touches(c, index) && !outcome.refused.has(c.step))) {
      outcome.refused.add(change.step);
      const where = change.index ? { index: change.index.name } : { column: change.column!.name };
      outcome.findings.push({ severity: 'unsafe', ...at, ...where, reason: `${change.step.id.replace(/^[^:]+: /, '')}: ${refusal(overflow, current, blocker)}` });
    }
  }
  const rest = outcome.refused.size === 0 ? all : overflowsOf(changes.filter((c) => !outcome.refused.has(c.step)));
  const first = rest.overflows[0];
  if (first) {
    outcome.steps.push({
      id: `${live.name}: row format ${current} → DYNAMIC (index ${first.index} needs ${first.bytes} bytes)`,
      kind: 'row-format',
      database: ctx.database,
      table: live.name,
      sql: `ALTER TABLE ${qualified(ctx.database, live.name)} ROW_FORMAT=DYNAMIC`,
      online: true,
      check: { kind: 'row-format', table: live.name, rowFormat: 'DYNAMIC' },
    });
    outcome.findings.push({ severity: 'note', ...at, reason: `row format ${current} → DYNAMIC first: ${describeOverflow(first, current)}` });
  }
  const declared = target.rowFormat?.toUpperCase();
  if (all.overflows.length === 0 && declared && declared !== current) {
    outcome.findings.push({ severity: 'note', ...at, reason: `row format ${current}, the target declares ${declared}; not changed, no key needs it` });
  }
  return outcome;
}

function refusal(overflow: KeyOverflow, rowFormat: string, blocker: string | undefined): string {
  const why = describeOverflow(overflow, rowFormat);
  if (!overflow.fitsDynamic) return `${why}; not applied`;
  return `${why}, and ${blocker ? `this server cannot give it more (${blocker})` : 'no row format change would help'}; not applied`;
}

/**
 * A table to create: a row format the server will really use must hold its keys. Without a declared one the
 * server's default applies (COMPACT on MySQL 5.6), and DYNAMIC is added where that makes them fit.
 */
export function rowFormatForCreate(
  database: string, table: TableDef, server: ServerInfo, fallbackCharset: string,
): { table?: TableDef; findings: Finding[] } {
  const declared = table.rowFormat?.toUpperCase();
  const blocker = rowFormatBlocker(server);
  // A declared DYNAMIC on an Antelope server quietly becomes COMPACT.
  const effective = declared === undefined ? server.defaultRowFormat : declared !== 'COMPACT' && declared !== 'REDUNDANT' && server.dynamicBlocked ? 'COMPACT' : declared;
  const overflows = keyOverflows(table, table.indexes, effective, server, fallbackCharset);
  if (overflows.length === 0) return { table, findings: [] };
  const at = { database, table: table.name };
  const first = overflows[0]!;
  if (declared === undefined && SMALL_ROW_FORMATS.has(effective) && !blocker && overflows.every((o) => o.fitsDynamic)) {
    return {
      table: { ...table, rowFormat: 'DYNAMIC' },
      findings: [{ severity: 'note', ...at, reason: `created with ROW_FORMAT=DYNAMIC: ${describeOverflow(first, effective)}` }],
    };
  }
  return { findings: [{ severity: 'unsafe', ...at, reason: `table is not created: ${refusal(first, effective, blocker).replace(/; not applied$/, '')}` }] };
}
