import type { DbConnection } from './connection.js';

/**
 * Session settings shared by backup and restore so values cross unchanged: TIMESTAMPs are read and written in
 * UTC, an explicit 0 in an AUTO_INCREMENT column stays 0, zero dates are accepted back, and backslash escapes
 * (which the writer uses) are honoured.
 */
export async function dataSession(conn: DbConnection): Promise<void> {
  await conn.query("SET SESSION time_zone = '+00:00', SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
}
