import type mysql from 'mysql2/promise';
import { isMissingSchema } from '../db/connection.js';

/**
 * How fast the lab's stand-ins run. `real`: the intervals and start of the real images (their defaults).
 * `fast`: for tests that are not about timing. Kept in the lab's MySQL, which every stand-in reaches, and read
 * by a framework at each start (a node gets it from the master's web); see images/README.md.
 */
export type StandinSpeed = 'real' | 'fast';
export const STANDIN_SPEEDS: readonly StandinSpeed[] = ['real', 'fast'];

const FAST = { heartbeat: 1, monitor: 1, start: 0 };

export async function writeStandinSpeed(conn: mysql.Connection, speed: StandinSpeed): Promise<void> {
  if (speed === 'real') {
    await conn.query('DROP DATABASE IF EXISTS tars_lab');
    return;
  }
  await conn.query('CREATE DATABASE IF NOT EXISTS tars_lab');
  await conn.query(
    `CREATE TABLE IF NOT EXISTS tars_lab.standin_speed (id int PRIMARY KEY, heartbeat_seconds int NOT NULL,
       monitor_seconds int NOT NULL, start_seconds int NOT NULL)`,
  );
  await conn.query('REPLACE INTO tars_lab.standin_speed VALUES (1, ?, ?, ?)', [FAST.heartbeat, FAST.monitor, FAST.start]);
}

export async function readStandinSpeed(conn: mysql.Connection): Promise<StandinSpeed> {
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT 1 FROM tars_lab.standin_speed WHERE id = 1');
    return rows.length > 0 ? 'fast' : 'real';
  } catch (err) {
    if (isMissingSchema(err)) return 'real';
    throw err;
  }
}
