import type { RowDataPacket } from 'mysql2/promise';
import { quoteIdent } from './sql/column-type.js';
import type { DbConnection } from './connection.js';
import { qualified } from './schema/ddl-render.js';

/**
 * Rows the Tars services delete on their own: TarsWeb removes expired login tickets when it starts and every
 * minute after (LoginService). Their disappearance is no loss, so row checks count only the rows that cannot
 * have expired yet. Matched by table name, since tests and migrations use databases of other names.
 */
const SELF_EXPIRING: Readonly<Record<string, string>> = { t_login_temp_info: 'expire_time' };

export function expiryColumn(table: string): string | undefined {
  return SELF_EXPIRING[table];
}

/** Rows per minute of expiry (unix seconds of the minute's start); `never` counts rows without an expiry. */
export type Expiries = Record<string, number>;

export async function readExpiries(conn: DbConnection, database: string, table: string): Promise<Expiries | undefined> {
  const column = expiryColumn(table);
  if (!column) return undefined;
  const col = quoteIdent(column);
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT IFNULL(FLOOR(UNIX_TIMESTAMP(${col}) / 60) * 60, 'never') AS m, COUNT(*) AS n FROM ${qualified(database, table)} GROUP BY m`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.m), Number(r.n)]));
}

/** Pure: rows of `before` that expire at or after `from` (a minute boundary), or never. */
export function unexpiredCount(before: Expiries, from: number): number {
  return Object.entries(before).reduce((n, [m, count]) => (m === 'never' || Number(m) >= from ? n + count : n), 0);
}

/**
 * Null when every row of `before` that cannot have expired yet is still counted; else why not. The cut-off is a
 * minute boundary at least two minutes past the server's clock, so neither side holds a row a sweep may take now.
 */
export async function expiredOnlyLoss(conn: DbConnection, database: string, table: string, before: Expiries): Promise<string | null> {
  const col = quoteIdent(expiryColumn(table)!);
  const [[clock]] = await conn.query<RowDataPacket[]>('SELECT UNIX_TIMESTAMP() AS now');
  const from = Math.ceil((Number(clock!.now) + 120) / 60) * 60;
  const [[live]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${qualified(database, table)} WHERE ${col} IS NULL OR ${col} >= FROM_UNIXTIME(?)`,
    [from],
  );
  const want = unexpiredCount(before, from);
  const have = Number(live!.n);
  return have < want ? `${want} rows not yet expired before, ${have} now` : null;
}
