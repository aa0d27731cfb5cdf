import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { quoteIdent } from '../sql/column-type.js';
import type { DbConnection } from '../connection.js';
import { statementChecksum, type ExecResult, type HistoryEntry, type MigrationStorage, type Outcome } from './migration-runner.js';
import type { PlanStep } from './plan-types.js';

export const HISTORY_TABLE = 'tars_docker_migrations';

/** The history lives in the migrated database itself, so it travels with backups and restores. */
export class MysqlHistory implements MigrationStorage {
  private readonly table: string;

  constructor(private readonly conn: DbConnection, private readonly database: string) {
    this.table = `${quoteIdent(database)}.${quoteIdent(HISTORY_TABLE)}`;
  }

  async ensure(): Promise<void> {
    await this.conn.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      id bigint unsigned NOT NULL AUTO_INCREMENT,
      run_id char(36) NOT NULL,
      version varchar(128) NOT NULL,
      seq int unsigned NOT NULL,
      step_id varchar(255) NOT NULL,
      statement mediumtext NOT NULL,
      checksum char(64) NOT NULL,
      step mediumtext NOT NULL COMMENT 'the planned step as JSON, to resume after a crash',
      started datetime(3) NULL,
      finished datetime(3) NULL,
      outcome varchar(16) NOT NULL,
      algorithm varchar(16) NULL,
      note text NULL,
      PRIMARY KEY (id),
      UNIQUE KEY run_seq (run_id, seq),
      KEY outcome (outcome)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='tars-docker schema migrations'`);
  }

  async exists(): Promise<boolean> {
    const [rows] = await this.conn.query<RowDataPacket[]>(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?', [this.database, HISTORY_TABLE]);
    return rows.length > 0;
  }

  async unfinished(): Promise<HistoryEntry[]> {
    if (!(await this.exists())) return [];
    const [open] = await this.conn.query<RowDataPacket[]>(
      `SELECT run_id FROM ${this.table} WHERE outcome IN ('pending','running') ORDER BY id LIMIT 1`,
    );
    const runId = open[0]?.run_id;
    if (!runId) return [];
    const [rows] = await this.conn.query<RowDataPacket[]>(
      `SELECT id, run_id, version, seq, checksum, step, outcome, note FROM ${this.table} WHERE run_id = ? ORDER BY seq`,
      [runId],
    );
    return rows.map((r) => ({
      id: Number(r.id), runId: String(r.run_id), version: String(r.version), seq: Number(r.seq),
      checksum: String(r.checksum), step: JSON.parse(String(r.step)) as PlanStep, outcome: String(r.outcome) as Outcome,
      ...(r.note === null ? {} : { note: String(r.note) }),
    }));
  }

  async begin(runId: string, version: string, steps: PlanStep[]): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    await this.conn.beginTransaction();
    try {
      for (const [seq, step] of steps.entries()) {
        const checksum = statementChecksum(step.sql);
        const [res] = await this.conn.query<ResultSetHeader>(
          `INSERT INTO ${this.table} (run_id, version, seq, step_id, statement, checksum, step, outcome) VALUES (?,?,?,?,?,?,?,'pending')`,
          [runId, version, seq, step.id, step.sql, checksum, JSON.stringify(step)],
        );
        entries.push({ id: res.insertId, runId, version, seq, step, checksum, outcome: 'pending' });
      }
      await this.conn.commit();
    } catch (err) {
      await this.conn.rollback().catch(() => undefined);
      throw err;
    }
    return entries;
  }

  async markRunning(entry: HistoryEntry): Promise<void> {
    await this.conn.query(`UPDATE ${this.table} SET outcome='running', started=NOW(3), note=NULL WHERE id=?`, [entry.id]);
  }

  async markDone(entry: HistoryEntry, result: ExecResult): Promise<void> {
    const note = [result.note, ...(result.fallbacks ?? [])].filter(Boolean).join('; ') || null;
    await this.conn.query(
      `UPDATE ${this.table} SET outcome='done', started=COALESCE(started, NOW(3)), finished=NOW(3), algorithm=?, note=? WHERE id=?`,
      [result.algorithm ?? null, note, entry.id],
    );
  }

  async markFailed(entry: HistoryEntry, note: string): Promise<void> {
    await this.conn.query(`UPDATE ${this.table} SET outcome='failed', finished=NOW(3), note=? WHERE id=?`, [note, entry.id]);
  }

  async abandon(runId: string): Promise<void> {
    await this.conn.query(
      `UPDATE ${this.table} SET outcome='abandoned' WHERE run_id=? AND outcome IN ('pending','running')`,
      [runId],
    );
  }
}
