import { hostname, userInfo } from 'node:os';
import type mysql from 'mysql2/promise';
import { isMissingSchema } from '../db/connection.js';

/** tars-docker's own bookkeeping lives in the cluster's MySQL, where every operator's run sees it. */
export const HISTORY_DB = 'tars_docker';

export interface HistoryRow {
  runId: string;
  kind: string;
  project: string;
  operator: string;
  started: Date;
  finished: Date | null;
  from: string | null;
  to: string;
  outcome: string;
  message: string | null;
  hosts: { name: string; downtimeSeconds: number; outcome: string }[];
}

export function operatorName(): string {
  return `${userInfo().username}@${hostname()} pid ${process.pid}`;
}

export async function ensureHistoryTable(conn: mysql.Connection): Promise<void> {
  await conn.query(`CREATE DATABASE IF NOT EXISTS ${HISTORY_DB} CHARACTER SET utf8mb4`);
  await conn.query(`CREATE TABLE IF NOT EXISTS ${HISTORY_DB}.t_history (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    run_id VARCHAR(64) NOT NULL UNIQUE,
    kind VARCHAR(16) NOT NULL,
    project VARCHAR(64) NOT NULL,
    operator VARCHAR(255) NOT NULL,
    started DATETIME(3) NOT NULL,
    finished DATETIME(3) NULL,
    from_version VARCHAR(64) NULL,
    to_version VARCHAR(64) NOT NULL,
    outcome VARCHAR(16) NOT NULL,
    message TEXT NULL,
    hosts TEXT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
}

export async function recordStart(
  conn: mysql.Connection,
  r: { runId: string; kind: string; project: string; from: string | null; to: string },
): Promise<void> {
  await conn.query(
    `INSERT INTO ${HISTORY_DB}.t_history (run_id, kind, project, operator, started, from_version, to_version, outcome)
     VALUES (?, ?, ?, ?, NOW(3), ?, ?, 'running')
     ON DUPLICATE KEY UPDATE operator = VALUES(operator), outcome = 'running', finished = NULL`,
    [r.runId, r.kind, r.project, operatorName(), r.from, r.to],
  );
}

export async function recordEnd(
  conn: mysql.Connection,
  runId: string,
  outcome: 'succeeded' | 'failed' | 'rolled-back' | 'interrupted',
  message: string | null,
  hosts: HistoryRow['hosts'],
): Promise<void> {
  await conn.query(
    `UPDATE ${HISTORY_DB}.t_history SET finished = NOW(3), outcome = ?, message = ?, hosts = ? WHERE run_id = ?`,
    [outcome, message, JSON.stringify(hosts), runId],
  );
}

/** Called with the cluster lock held: a run still marked running cannot be alive, it was killed. */
export async function markAbandoned(conn: mysql.Connection, project: string, currentRunId: string): Promise<void> {
  await conn.query(
    `UPDATE ${HISTORY_DB}.t_history SET outcome = 'abandoned', finished = NOW(3),
       message = 'the process ended without recording an outcome (killed); found by the next run'
     WHERE project = ? AND outcome = 'running' AND run_id <> ?`,
    [project, currentRunId],
  );
}

export async function readHistory(conn: mysql.Connection, project: string, limit = 50): Promise<HistoryRow[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT * FROM ${HISTORY_DB}.t_history WHERE project = ? ORDER BY id DESC LIMIT ?`,
    [project, limit],
  ).catch((err: unknown) => {
    if (isMissingSchema(err)) return [[]] as unknown as [mysql.RowDataPacket[]];
    throw err;
  });
  return rows.map((r) => ({
    runId: r.run_id, kind: r.kind, project: r.project, operator: r.operator, started: r.started, finished: r.finished,
    from: r.from_version, to: r.to_version, outcome: r.outcome, message: r.message,
    hosts: r.hosts ? (JSON.parse(r.hosts) as HistoryRow['hosts']) : [],
  }));
}

/** Where `rollback` without --to goes: the version the last successful upgrade started from (newest first rows). */
export function rollbackTarget(rows: HistoryRow[]): string | undefined {
  return rows.find((r) => r.kind === 'upgrade' && r.outcome === 'succeeded' && r.from)?.from ?? undefined;
}
