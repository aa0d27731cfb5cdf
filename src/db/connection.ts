import type { Connection as CoreConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/types.js';
import { HostError, errorMessage } from '../errors.js';
import { redact, registerSecret } from '../redact.js';

export type DbConnection = mysql.Connection;

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A connection set up for copying data faithfully: dates and big numbers arrive as the server's text, so a
 * backup writes back exactly what it read, and the session speaks utf8mb4 whatever the tables use.
 */
export async function openConnection(cfg: MysqlConfig, database?: string): Promise<DbConnection> {
  registerSecret(cfg.password);
  try {
    return await mysql.createConnection({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      password: cfg.password,
      charset: 'utf8mb4_general_ci',
      connectTimeout: CONNECT_TIMEOUT_MS,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      multipleStatements: false,
      ...(database ? { database } : {}),
    });
  } catch (err) {
    throw mysqlError(cfg, 'cannot connect', err);
  }
}

export async function withConnection<T>(cfg: MysqlConfig, fn: (conn: DbConnection) => Promise<T>): Promise<T> {
  const conn = await openConnection(cfg);
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

/** The callback-style connection under the promise wrapper: only it offers `query().stream()`. */
export function coreConnection(conn: DbConnection): CoreConnection {
  return (conn as unknown as { connection: CoreConnection }).connection;
}
