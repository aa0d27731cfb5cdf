import type mysql from 'mysql2/promise';
import { REGISTRY_PORT } from './web.js';
import { isMissingSchema } from '../db/connection.js';

/** Seconds since the last heartbeat of each address, as db_tars records it (MySQL's clock on both sides). */
export interface Heartbeats {
  registry: Map<string, number>;
  node: Map<string, number>;
  /** MySQL's NOW() when read, so "newer than a restart" compares times from one clock. */
  now: Date;
}

export async function readHeartbeats(conn: mysql.Connection): Promise<Heartbeats> {
  const [[clock]] = await conn.query<mysql.RowDataPacket[]>('SELECT NOW(3) AS now');
  const registry = await agesBy(
    conn,
    `SELECT REPLACE(REPLACE(SUBSTRING(locator_id, 1, LENGTH(locator_id) - ${String(REGISTRY_PORT).length + 1}), '[', ''), ']', '') AS addr,
            MIN(TIMESTAMPDIFF(SECOND, last_heartbeat, NOW())) AS age
       FROM db_tars.t_registry_info WHERE present_state = 'active' AND locator_id LIKE '%:${REGISTRY_PORT}' GROUP BY addr`,
  );
  const node = await agesBy(
    conn,
    `SELECT node_name AS addr, TIMESTAMPDIFF(SECOND, last_heartbeat, NOW()) AS age
       FROM db_tars.t_node_info WHERE present_state = 'active'`,
  );
  return { registry, node, now: clock!.now as Date };
}

async function agesBy(conn: mysql.Connection, sql: string): Promise<Map<string, number>> {
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
    return new Map(rows.map((r) => [String(r.addr), Math.max(0, Number(r.age))]));
  } catch (err) {
    // A cluster that was never installed has no db_tars yet: that is "no heartbeat", not a failure.
    if (isMissingSchema(err)) return new Map();
    throw err;
  }
}

/** The version each active tarsnode writes into its row, by node name (its address). */
export async function tarsnodeVersions(conn: mysql.Connection): Promise<Map<string, string>> {
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT node_name, tars_version FROM db_tars.t_node_info WHERE present_state = 'active' AND tars_version <> ''`,
    );
    return new Map(rows.map((r) => [String(r.node_name), String(r.tars_version)]));
  } catch (err) {
    if (isMissingSchema(err)) return new Map();
    throw err;
  }
}

/** MySQL's own clock, which stamps the heartbeats: the only clock a "since" for them may be read from. */
export async function mysqlNow(conn: mysql.Connection): Promise<Date> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT NOW(3) AS now');
  return rows[0]!.now as Date;
}

/** Heartbeats written after `since` (MySQL time) by the framework or node at `address`. */
export async function heartbeatSince(
  conn: mysql.Connection,
  table: 't_registry_info' | 't_node_info',
  address: string,
  since: Date,
): Promise<boolean> {
  const sql =
    table === 't_registry_info'
      ? // only the registry's own row proves it; tarsAdminRegistry writes ADDR:12000 and would pass for it
        `SELECT 1 FROM db_tars.t_registry_info WHERE locator_id IN (?) AND last_heartbeat >= ? LIMIT 1`
      : `SELECT 1 FROM db_tars.t_node_info WHERE node_name = ? AND last_heartbeat >= ? LIMIT 1`;
  try {
    const key = table === 't_registry_info' ? registryLocators(address) : address;
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, [key, since]);
    return rows.length > 0;
  } catch (err) {
    if (isMissingSchema(err)) return false;
    throw err;
  }
}

/**
 * Every spelling of the registry's locator for an address (`ip:17890`, `[v6]:17890`) in db_tars: tarsregistry joins TC_Endpoint's host and port with ':', so an IPv6
 * host may come bracketed or bare (`fd00::1:17890`).
 */
export function registryLocators(address: string): string[] {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  return bare.includes(':') ? [`[${bare}]:${REGISTRY_PORT}`, `${bare}:${REGISTRY_PORT}`] : [`${bare}:${REGISTRY_PORT}`];
}
