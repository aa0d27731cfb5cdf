import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { quoteIdent } from './column-type.js';
import type { DbConnection } from './connection.js';
import { qualified } from './ddl-render.js';

export interface TableChecksum {
  table: string;
  rows: number;
  /** The columns the checksum covers, so a later run can compute it over exactly these. */
  columns: string[];
  checksum: string;
}

export async function tableColumns(conn: DbConnection, database: string, table: string): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? ORDER BY ORDINAL_POSITION',
    [database, table],
  );
  return rows.map((r) => String(r.name));
}

/**
 * How a table checksum is computed. Both are order-independent, computed by the server over the bytes of each
 * value (so a widening such as text → mediumtext or varchar(128) → varchar(255), and a restore, leave them
 * unchanged) and cost no client memory.
 * - `crc32-row`: one CRC32 per row, summed (as pt-table-checksum does per chunk). The values are joined by 0x1f
 *   and followed by every value's byte length (-1 for NULL), so the joined bytes decode to one row only.
 * - `crc32-pair` (backups of format 1): CRC32 of the row and of its reversed bytes, each value preceded by its
 *   length; kept so that older backups still verify and restore.
 */
export type ChecksumKind = 'crc32-row' | 'crc32-pair';
export const CHECKSUM_KIND: ChecksumKind = 'crc32-row';

/** The SELECT of one checksum; its three columns n, a, b combine across disjoint parts of a table. */
export function checksumSelect(kind: ChecksumKind, from: string, columns: string[]): string {
  const bytes = columns.map((c) => `CAST(${quoteIdent(c)} AS BINARY)`);
  const lengths = bytes.map((b) => `IFNULL(LENGTH(${b}), -1)`);
  if (kind === 'crc32-row') {
    // Written once, not in a derived table: the server then evaluates it in the scan without materialising rows.
    return `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS(0x1f, ${bytes.join(', ')}, CONCAT_WS(',', ${lengths.join(', ')})))), 0) AS a, 0 AS b FROM ${from}`;
  }
  const parts = bytes.flatMap((b, i) => [lengths[i]!, b]);
  return `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(r)), 0) AS a, COALESCE(BIT_XOR(CRC32(REVERSE(r))), 0) AS b
       FROM (SELECT CONCAT_WS(0x1f, ${parts.join(', ')}) AS r FROM ${from}) AS x`;
}

export async function checksumTable(
  conn: DbConnection, database: string, table: string, columns?: string[], kind: ChecksumKind = CHECKSUM_KIND,
): Promise<TableChecksum> {
  const cols = columns ?? (await tableColumns(conn, database, table));
  const [rows] = await conn.query<RowDataPacket[]>(checksumSelect(kind, qualified(database, table), cols));
  const row = rows[0]!;
  const checksum = createHash('sha256').update(`${row.n}:${row.a}:${row.b}`).digest('hex').slice(0, 32);
  return { table, rows: Number(row.n), columns: cols, checksum };
}

export async function baseTables(conn: DbConnection, database: string): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME",
    [database],
  );
  return rows.map((r) => String(r.name));
}
