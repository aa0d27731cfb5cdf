import type { RowDataPacket } from 'mysql2/promise';
import { classifyTypeChange } from './column-change.js';
import { parseColumnTypeText } from '../sql/column-type.js';
import type { DbConnection } from '../connection.js';
import { SHADOW_PREFIX } from '../backup/restore-shadow.js';
import type { ColumnDef } from './schema-model.js';

/** information_schema's view of one column, keyed `db.table.column` in a snapshot. */
export interface ColumnInfo {
  type: string;
  charset: string | null;
}
export type ColumnSnapshot = Record<string, ColumnInfo>;

export interface ColumnChange {
  database: string;
  table: string;
  /** Absent for a whole table added or dropped. */
  column?: string;
  kind: 'added' | 'dropped' | 'widened' | 'narrowed' | 'changed' | 'table added' | 'table dropped';
  from?: string;
  to?: string;
  reason?: string;
}

/** The column types of every base table of the databases (restore's transient copies left out). */
export async function snapshotColumns(conn: DbConnection, databases: readonly string[]): Promise<ColumnSnapshot> {
  if (databases.length === 0) return {};
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT c.TABLE_SCHEMA AS db, c.TABLE_NAME AS t, c.COLUMN_NAME AS col, c.COLUMN_TYPE AS type, c.CHARACTER_SET_NAME AS cs
       FROM information_schema.COLUMNS c JOIN information_schema.TABLES x USING (TABLE_SCHEMA, TABLE_NAME)
      WHERE c.TABLE_SCHEMA IN (?) AND x.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_NAME NOT LIKE ?
      ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`,
    [databases, `${SHADOW_PREFIX}%`],
  );
  return Object.fromEntries(rows.map((r) => [`${r.db}.${r.t}.${r.col}`, { type: String(r.type), charset: r.cs === null ? null : String(r.cs) }]));
}

function asColumn(name: string, info: ColumnInfo): ColumnDef {
  return { name, ...parseColumnTypeText(info.type), nullable: true, autoIncrement: false };
}

const split = (key: string) => {
  const [database, table, ...rest] = key.split('.');
  return { database: database!, table: table!, column: rest.join('.') };
};

/** Pure: what changed between two snapshots; a table that came or went is one change, not one per column. */
export function columnChanges(before: ColumnSnapshot, after: ColumnSnapshot): ColumnChange[] {
  const tablesOf = (s: ColumnSnapshot) => new Set(Object.keys(s).map((k) => { const p = split(k); return `${p.database}.${p.table}`; }));
  const tablesBefore = tablesOf(before);
  const tablesAfter = tablesOf(after);
  const changes: ColumnChange[] = [];
  for (const t of tablesBefore) if (!tablesAfter.has(t)) changes.push({ ...split(`${t}.`), column: undefined, kind: 'table dropped' });
  for (const t of tablesAfter) if (!tablesBefore.has(t)) changes.push({ ...split(`${t}.`), column: undefined, kind: 'table added' });
  for (const [key, was] of Object.entries(before)) {
    const where = split(key);
    if (!tablesAfter.has(`${where.database}.${where.table}`)) continue;
    const now = after[key];
    if (!now) {
      changes.push({ ...where, kind: 'dropped', from: was.type });
      continue;
    }
    const change = classifyTypeChange(asColumn(where.column, was), asColumn(where.column, now), was.charset ?? undefined, now.charset ?? undefined);
    if (change.kind === 'same') continue;
    const kind = change.kind === 'widen' ? 'widened' : / narrows/.test(change.reason) ? 'narrowed' : 'changed';
    changes.push({ ...where, kind, from: was.type, to: now.type, reason: change.reason });
  }
  for (const [key, now] of Object.entries(after)) {
    const where = split(key);
    if (!before[key] && tablesBefore.has(`${where.database}.${where.table}`)) changes.push({ ...where, kind: 'added', to: now.type });
  }
  return changes;
}

/** One line per change, e.g. `db_tars.t_node_info.endpoint_ip narrowed varchar(50) -> varchar(16)`. */
export function describeColumnChange(c: ColumnChange): string {
  const where = `${c.database}.${c.table}${c.column ? `.${c.column}` : ''}`;
  if (c.kind === 'narrowed' || c.kind === 'widened' || c.kind === 'changed') return `${where} ${c.kind} ${c.from} -> ${c.to}`;
  if (c.kind === 'added') return `${where} added (${c.to})`;
  if (c.kind === 'dropped') return `${where} dropped (was ${c.from})`;
  return `${where}: ${c.kind}`;
}
