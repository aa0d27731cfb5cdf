import type mysql from 'mysql2/promise';
import { TarsDockerError } from '../errors.js';
import { HISTORY_DB } from './history.js';

/**
 * One rollout per cluster at a time. MySQL's GET_LOCK is held by the connection, so a killed tars-docker
 * releases it with its connection; who holds it is read from the history row marked running.
 */
export async function acquireRolloutLock(conn: mysql.Connection, project: string): Promise<() => Promise<void>> {
  const name = `tars-docker:${project}`;
  const [[row]] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS got', [name]);
  if (Number(row!.got) !== 1) throw new TarsDockerError(`another rollout is running: ${await holder(conn, project)}`);
  return async () => {
    await conn.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => {});
  };
}

async function holder(conn: mysql.Connection, project: string): Promise<string> {
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT kind, operator, started, from_version, to_version FROM ${HISTORY_DB}.t_history
        WHERE project = ? AND outcome = 'running' ORDER BY id DESC LIMIT 1`,
      [project],
    );
    const r = rows[0];
    if (!r) return 'held by another tars-docker process';
    const started = r.started instanceof Date ? r.started.toISOString() : String(r.started);
    return `${r.kind} ${r.from_version ?? '?'} -> ${r.to_version} by ${r.operator} since ${started}`;
  } catch {
    return 'held by another tars-docker process';
  }
}
