import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/types.js';
import { mysqlError } from '../db/connection.js';

export const MYSQL_CONNECT_TIMEOUT_MS = 5_000;

/**
 * One connection to the cluster's MySQL for cluster bookkeeping (heartbeats, locks, history): dates arrive as
 * Date so MySQL's clock can be compared; a failure names host:port and never the password.
 */
export async function connectMysql(cfg: MysqlConfig, database?: string): Promise<mysql.Connection> {
  try {
    return await mysql.createConnection({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      password: cfg.password,
      connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
      dateStrings: false,
      supportBigNumbers: true,
      ...(database ? { database } : {}),
    });
  } catch (err) {
    throw mysqlError(cfg, 'cannot connect', err);
  }
}

export async function withMysql<T>(cfg: MysqlConfig, fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await connectMysql(cfg);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

export async function existingDatabases(conn: mysql.Connection, names: readonly string[]): Promise<string[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?)',
    [names],
  );
  return rows.map((r) => String(r.name));
}
