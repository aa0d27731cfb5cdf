import type { Connection as CoreConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/types.js';
import { HostError, errorMessage } from '../errors.js';
import { redact, registerSecret } from '../redact.js';

export type DbConnection = mysql.Connection;

const CONNECT_TIMEOUT_MS = 5_000;

export interface ConnectionOptions {
  /**
   * How dates and numbers too big for a double arrive. 'text' (the default): as the server's text, so a backup
   * writes back exactly what it read. 'native': dates as Date and counts as number, for the cluster's bookkeeping
   * (heartbeats, locks, history), which compares MySQL's clock.
   */
  values?: 'text' | 'native';
}

/**
 * The one way into the cluster's MySQL: the session speaks utf8mb4 whatever the tables use, one statement per
 * query, and a failure names host:port and never the password.
 */
export async function openConnection(cfg: MysqlConfig, options: ConnectionOptions = {}): Promise<DbConnection> {
  registerSecret(cfg.password);
  const text = (options.values ?? 'text') === 'text';
  try {
    return await mysql.createConnection({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      password: cfg.password,
      charset: 'utf8mb4_general_ci',
      connectTimeout: CONNECT_TIMEOUT_MS,
      dateStrings: text,
      supportBigNumbers: true,
      bigNumberStrings: text,
      decimalNumbers: false,
      multipleStatements: false,
      queryFormat: formatQuery,
    });
  } catch (err) {
    throw mysqlError(cfg, 'cannot connect', err);
  }
}

/**
 * mysql2's own formatting, except that a statement without values is sent as it is: mysql2 would scan all of it
 * for placeholders first, which costs a restore of its 512 KiB INSERTs more than sending them.
 */
function formatQuery(sql: string, values: Parameters<typeof mysql.format>[1] | undefined): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return mysql.format(sql, values);
}

export async function withConnection<T>(
  cfg: MysqlConfig,
  fn: (conn: DbConnection) => Promise<T>,
  options: ConnectionOptions = {},
): Promise<T> {
  const conn = await openConnection(cfg, options);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

export function mysqlError(cfg: MysqlConfig, what: string, err: unknown): HostError {
  return new HostError(`mysql ${cfg.host}:${cfg.port}`, redact(`${what}: ${errorMessage(err)}`), { cause: err });
}

/** The server's error number (e.g. 1846 for an ALGORITHM the server refuses), if the error came from it. */
export function serverErrno(err: unknown): number | undefined {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/** The error came from MySQL: mysql2 marks a lost connection `fatal` and a server's refusal with its SQLSTATE. */
export function isMysqlError(err: unknown): boolean {
  const e = err as { fatal?: unknown; sqlState?: unknown } | null;
  return e?.fatal === true || typeof e?.sqlState === 'string';
}

/** The callback-style connection under the promise wrapper: only it offers `query().stream()`. */
export function coreConnection(conn: DbConnection): CoreConnection {
  return (conn as unknown as { connection: CoreConnection }).connection;
}

/** The database or table a query reads does not exist yet (a cluster never installed): no rows, not a failure. */
export function isMissingSchema(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ER_BAD_DB_ERROR' || code === 'ER_NO_SUCH_TABLE';
}
