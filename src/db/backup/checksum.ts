import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { quoteIdent } from '../sql/column-type.js';
import type { DbConnection } from '../connection.js';
import { qualified } from '../schema/ddl-render.js';

export interface TableChecksum {
  table: string;
  rows: number;
  /** The columns the checksum covers, so a later run can compute it over exactly these. */
  columns: string[];
  checksum: string;
}

export async function tableColumns(conn: DbConnection, database: string, table: string): Promise<string[]> {
  return (await columnFacts(conn, database, table)).map((c) => c.name);
}

/** What decides how a column's bytes travel: its type (lower case), full column type and charset. */
export interface ColumnFacts {
  name: string;
  dataType: string;
  columnType: string;
  charset: string | null;
}

export async function columnFacts(conn: DbConnection, database: string, table: string): Promise<ColumnFacts[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, CHARACTER_SET_NAME AS charset
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  return rows.map((r) => ({
    name: String(r.name),
    dataType: String(r.dataType).toLowerCase(),
    columnType: String(r.columnType),
    charset: r.charset == null ? null : String(r.charset).toLowerCase(),
  }));
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
  if (kind === 'crc32-row') {
    // LENGTH counts bytes whatever the type, so it needs no cast: the same lengths at a sixth less server time.
    const plain = columns.map((c) => `IFNULL(LENGTH(${quoteIdent(c)}), -1)`);
    // Written once, not in a derived table: the server then evaluates it in the scan without materialising rows.
    return `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS(0x1f, ${bytes.join(', ')}, CONCAT_WS(',', ${plain.join(', ')})))), 0) AS a, 0 AS b FROM ${from}`;
  }
  const parts = bytes.flatMap((b) => [`IFNULL(LENGTH(${b}), -1)`, b]);
  return `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(r)), 0) AS a, COALESCE(BIT_XOR(CRC32(REVERSE(r))), 0) AS b
       FROM (SELECT CONCAT_WS(0x1f, ${parts.join(', ')}) AS r FROM ${from}) AS x`;
}

export async function checksumTable(
  conn: DbConnection, database: string, table: string, columns?: string[], kind: ChecksumKind = CHECKSUM_KIND,
): Promise<TableChecksum> {
  return checksumInParts([conn], database, table, columns, kind);
}

interface Partial {
  n: bigint;
  a: bigint;
  b: bigint;
}

/**
 * The same checksum, with the table cut into one key range per connection and the ranges summed at once: the
 * server computes each on its own thread, which is where a checksum spends its time. Every connection must see
 * the same rows (one shared snapshot, or a table nobody else writes). A table whose primary key does not start
 * with an integer is summed whole on the first connection.
 */
export async function checksumInParts(
  conns: DbConnection[], database: string, table: string, columns?: string[], kind: ChecksumKind = CHECKSUM_KIND,
): Promise<TableChecksum> {
  const first = conns[0]!;
  const cols = columns ?? (await tableColumns(first, database, table));
  const from = qualified(database, table);
  const ranges = conns.length > 1 ? await keyRanges(first, database, table, conns.length) : [''];
  const parts = await Promise.all(ranges.map(async (where, i): Promise<Partial> => {
    const [rows] = await conns[i]!.query<RowDataPacket[]>(checksumSelect(kind, `${from}${where}`, cols));
    const row = rows[0]!;
    return { n: BigInt(String(row.n)), a: BigInt(String(row.a)), b: BigInt(String(row.b)) };
  }));
  const sum = parts.reduce((x, y) => ({ n: x.n + y.n, a: x.a + y.a, b: x.b ^ y.b }));
  return { table, rows: Number(sum.n), columns: cols, checksum: checksumDigest(sum.n, sum.a, sum.b) };
}

/** The stored form of a checksum's three sums: short, and the same wherever they were computed. */
export function checksumDigest(n: bigint, a: bigint, b: bigint): string {
  return createHash('sha256').update(`${n}:${a}:${b}`).digest('hex').slice(0, 32);
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);

/** `count` WHERE clauses that together cover every row once, by equal widths of the key's present span. */
async function keyRanges(conn: DbConnection, database: string, table: string, count: number): Promise<string[]> {
  const [keys] = await conn.query<RowDataPacket[]>(
    `SELECT s.COLUMN_NAME AS name, c.DATA_TYPE AS type FROM information_schema.STATISTICS s
       JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
      WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.INDEX_NAME = 'PRIMARY' AND s.SEQ_IN_INDEX = 1`,
    [database, table],
  );
  const key = keys[0];
  if (!key || !INTEGER_TYPES.has(String(key.type).toLowerCase())) return [''];
  const col = quoteIdent(String(key.name));
  const [span] = await conn.query<RowDataPacket[]>(
    `SELECT CAST(MIN(${col}) AS CHAR) AS lo, CAST(MAX(${col}) AS CHAR) AS hi FROM ${qualified(database, table)}`);
  if (span[0]?.lo == null) return [''];
  const lo = BigInt(String(span[0].lo));
  const width = (BigInt(String(span[0].hi)) - lo) / BigInt(count) + 1n;
  const cuts = Array.from({ length: count - 1 }, (_, i) => lo + width * BigInt(i + 1));
  // The first and last ranges are open, so a row outside the span read above can never be missed.
  return [`${col} < ${cuts[0]}`, ...cuts.slice(1).map((c, i) => `${col} >= ${cuts[i]} AND ${col} < ${c}`), `${col} >= ${cuts.at(-1)}`]
    .map((w) => ` WHERE ${w}`);
}

export async function baseTables(conn: DbConnection, database: string): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME",
    [database],
  );
  return rows.map((r) => String(r.name));
}
