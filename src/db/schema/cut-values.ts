import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../../config/types.js';
import { checksumKindOf, readManifest } from '../backup/backup-manifest.js';
import type { ColumnChange } from './column-snapshot.js';
import { parseColumnTypeText, quoteIdent } from '../sql/column-type.js';
import { openConnection, type DbConnection } from '../connection.js';
import { qualified } from './ddl-render.js';
import { loadShadow, shadowNames } from '../backup/restore-shadow.js';
import { dataSession } from '../session.js';

/** A row whose value no longer fits its narrowed column: the value the backup holds and what the table holds now. */
export interface CutValue {
  database: string;
  table: string;
  column: string;
  /** The row's primary key and unique columns, as text. */
  row: Record<string, string>;
  was: string;
  /** Null when the row is gone. */
  now: string | null;
}

const LENGTH_TYPES = new Set(['char', 'varchar', 'binary', 'varbinary']);
/** Enough to name the damage; the backup holds every row. */
const MAX_ROWS_PER_COLUMN = 50;

async function keyColumns(conn: DbConnection, database: string, table: string): Promise<{ primary: string[]; shown: string[] }> {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT INDEX_NAME AS idx, COLUMN_NAME AS col FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
    [database, table],
  );
  const primary = rows.filter((r) => r.idx === 'PRIMARY').map((r) => String(r.col));
  return { primary, shown: [...new Set(rows.map((r) => String(r.col)))] };
}

/**
 * For each narrowing to a char/varchar/binary length, the rows whose value in the backup taken before is longer
 * than the new length, beside what the live row holds now. The backup's table is loaded into a transient copy
 * beside the live one (proven equal to the manifest) and dropped again; the live table is only read.
 */
export async function findCutValues(cfg: MysqlConfig, backupDir: string, backupId: string, changes: ColumnChange[]): Promise<CutValue[]> {
  const narrowed = changes.filter((c) => c.kind === 'narrowed' && c.column && c.to && LENGTH_TYPES.has(parseColumnTypeText(c.to).dataType));
  if (narrowed.length === 0) return [];
  const manifest = await readManifest(backupDir, backupId);
  const conn = await openConnection(cfg);
  const out: CutValue[] = [];
  try {
    await dataSession(conn);
    for (const c of narrowed) {
      const table = manifest.databases.find((d) => d.name === c.database)?.tables.find((t) => t.name === c.table);
      if (!table || !table.columns.includes(c.column!)) continue;
      const copy = shadowNames(c.table).incoming;
      try {
        await loadShadow(conn, join(backupDir, backupId), c.database, table, checksumKindOf(manifest));
        out.push(...(await compareCopy(conn, c, copy)));
      } finally {
        await conn.query(`DROP TABLE IF EXISTS ${qualified(c.database, copy)}`);
      }
    }
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
  return out;
}

async function compareCopy(conn: DbConnection, c: ColumnChange, copy: string): Promise<CutValue[]> {
  const length = parseColumnTypeText(c.to!).length ?? 1;
  const { primary, shown } = await keyColumns(conn, c.database, c.table);
  const col = quoteIdent(c.column!);
  const join = primary.length
    ? `LEFT JOIN ${qualified(c.database, c.table)} l ON ${primary.map((k) => `l.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(' AND ')}`
    : '';
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT ${shown.map((k, i) => `CAST(b.${quoteIdent(k)} AS CHAR) AS k${i}`).join(', ')}${shown.length ? ',' : ''}
            CAST(b.${col} AS CHAR) AS was, ${primary.length ? `CAST(l.${col} AS CHAR)` : 'NULL'} AS now
       FROM ${qualified(c.database, copy)} b ${join}
      WHERE CHAR_LENGTH(b.${col}) > ? ORDER BY ${shown.length ? shown.map((_, i) => `k${i}`).join(', ') : 'was'} LIMIT ?`,
    [length, MAX_ROWS_PER_COLUMN],
  );
  return rows.map((r) => ({
    database: c.database,
    table: c.table,
    column: c.column!,
    row: Object.fromEntries(shown.map((k, i) => [k, String(r[`k${i}`])])),
    was: String(r.was),
    now: r.now === null ? null : String(r.now),
  }));
}

/** `db_tars.t_node_info id=3 node_name=fd00::7: endpoint_ip 'fd00:0:0:0:0:0:0:7' is now 'fd00:0:0:0:0:0:0'`. */
export function describeCutValue(v: CutValue): string {
  const row = Object.entries(v.row).map(([k, x]) => `${k}=${x}`).join(' ');
  return `${v.database}.${v.table} ${row}: ${v.column} '${v.was}' is now ${v.now === null ? '(row gone)' : `'${v.now}'`}`;
}
