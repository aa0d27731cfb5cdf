import { quoteIdent } from '../sql/column-type.js';
import { addColumn, diffColumn, type TableContext } from './column-diff.js';
import { renderCreateTable } from './ddl-render.js';
import { diffIndexes } from './index-diff.js';
import type { DatabasePlan, Finding, PlanStep } from '../migrate/plan-types.js';
import { planRowFormat, rowFormatForCreate, type KeyChange } from './row-format-plan.js';
import { findColumn, findTable, type DatabaseSchema, type LiveDatabase, type TableDef } from './schema-model.js';
import { MODERN_SERVER, type ServerInfo } from '../server-info.js';

/** Tables tars-docker itself keeps in a migrated database; never part of a diff. */
export const OWN_TABLES = new Set(['tars_docker_migrations']);

/** What a column that names no charset gets when the database's default is unknown: the widest common one. */
const UNKNOWN_CHARSET = 'utf8mb4';

/**
 * The safe way from the live database to the target schema: ordered steps with their exact SQL, plus findings
 * for every difference that is not applied. Pure: the same inputs always give the same plan. `server` says which
 * index keys its row formats can hold.
 */
export function diffDatabase(
  target: DatabaseSchema, live: LiveDatabase, names: { target: string; live: string }, server: ServerInfo = MODERN_SERVER,
): DatabasePlan {
  const plan: DatabasePlan = { target: names.target, live: names.live, createDatabase: !live.exists, steps: [], findings: [] };
  if (!live.exists) {
    plan.steps.push({
      id: `create database ${names.live}`,
      kind: 'create-database',
      database: names.live,
      sql: `CREATE DATABASE IF NOT EXISTS ${quoteIdent(names.live)}`,
      online: false,
      check: { kind: 'database-exists' },
    });
  }
  const fallbackCharset = live.charset ?? UNKNOWN_CHARSET;
  for (const table of target.tables) {
    const existing = live.exists ? findTable(live, table.name) : undefined;
    if (existing) diffTable(plan, { database: names.live, targetDatabase: names.target, live: existing, target: table }, server, fallbackCharset);
    else createTable(plan, names.live, table, server, fallbackCharset);
  }
  for (const table of live.tables) {
    if (OWN_TABLES.has(table.name) || findTable(target, table.name)) continue;
    plan.findings.push({ severity: 'kept', database: names.live, table: table.name, reason: 'table is not in the target schema; kept with its data' });
  }
  return plan;
}

function createTable(plan: DatabasePlan, database: string, wanted: TableDef, server: ServerInfo, fallbackCharset: string): void {
  const { table, findings } = rowFormatForCreate(database, wanted, server, fallbackCharset);
  plan.findings.push(...findings);
  if (table) plan.steps.push(...createTableSteps(database, table));
}

function createTableSteps(database: string, table: TableDef): PlanStep[] {
  const steps: PlanStep[] = [{
    id: `${table.name}: create table`,
    kind: 'create-table',
    database,
    table: table.name,
    sql: renderCreateTable(database, table),
    online: false,
    check: { kind: 'table-exists', table: table.name },
  }];
  table.inserts.forEach((sql, i) => steps.push({
    id: `${table.name}: seed rows ${i + 1}`,
    kind: 'insert',
    database,
    table: table.name,
    sql,
    online: false,
    check: { kind: 'transactional' },
  }));
  return steps;
}

function diffTable(plan: DatabasePlan, ctx: TableContext, server: ServerInfo, fallbackCharset: string): void {
  const { live, target } = ctx;
  const at = { database: ctx.database, table: live.name };
  const tableFindings: Finding[] = [];
  if (live.engine && target.engine && live.engine.toLowerCase() !== target.engine.toLowerCase()) {
    tableFindings.push({ severity: 'unsafe', ...at, reason: `engine change ${live.engine} → ${target.engine}` });
  }
  if (live.charset && target.charset && live.charset !== target.charset) {
    tableFindings.push({ severity: 'unsafe', ...at, reason: `default charset change ${live.charset} → ${target.charset}` });
  }
  if ((live.comment ?? '') !== (target.comment ?? '')) {
    tableFindings.push({ severity: 'note', ...at, reason: 'table comment differs; not changed' });
  }
  const changes: KeyChange[] = [];
  const columns = new Set(live.columns.map((c) => c.name.toLowerCase()));
  let previous: string | undefined;
  for (const column of target.columns) {
    const existing = findColumn(live, column.name);
    const outcome = existing ? diffColumn(ctx, existing, column) : addColumn(ctx, column, previous);
    if (outcome.step) changes.push({ step: outcome.step, column: outcome.column });
    tableFindings.push(...outcome.findings);
    if (existing || outcome.step) {
      columns.add(column.name.toLowerCase());
      previous = existing?.name ?? column.name;
    }
  }
  for (const column of live.columns) {
    if (findColumn(target, column.name)) continue;
    tableFindings.push({ severity: 'kept', ...at, column: column.name, reason: 'column is not in the target schema; kept with its data' });
  }
  const indexes = diffIndexes(ctx.database, live, target, columns);
  changes.push(...indexes.added);
  const rows = planRowFormat({ ...ctx, server, fallbackCharset }, changes);
  plan.steps.push(...rows.steps, ...changes.map((c) => c.step).filter((s) => !rows.refused.has(s)));
  plan.findings.push(...tableFindings, ...indexes.findings, ...rows.findings);
}
