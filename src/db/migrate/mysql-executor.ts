import type { RowDataPacket } from 'mysql2/promise';
import { parseColumnTypeText, renderColumnType } from '../sql/column-type.js';
import type { DbConnection } from '../connection.js';
import type { ExecResult, StepExecutor } from './migration-runner.js';
import { alterOnline } from './online-ddl.js';
import type { PlanStep } from './plan-types.js';

/** Runs plan steps on one connection whose default database is the migrated one (seed INSERTs name no database). */
export class MysqlExecutor implements StepExecutor {
  constructor(private readonly conn: DbConnection) {}

  async execute(step: PlanStep): Promise<ExecResult> {
    if (step.online) {
      const { algorithm, fallbacks } = await alterOnline(this.conn, step.sql);
      // A server that cannot store DYNAMIC rows (innodb_file_format=Antelope, strict mode off) accepts the
      // statement with a warning and keeps the old format; the widening after it must not run then.
      if (step.check.kind === 'row-format' && !(await this.isApplied(step))) {
        throw new Error(`the server kept ${step.table} in its old row format instead of ROW_FORMAT=${step.check.rowFormat}`);
      }
      return { algorithm, fallbacks };
    }
    await this.conn.query(step.sql);
    return {};
  }

  async executeWithRecord(step: PlanStep, record: () => Promise<void>): Promise<void> {
    await this.conn.beginTransaction();
    try {
      await this.conn.query(step.sql);
      await record();
      await this.conn.commit();
    } catch (err) {
      await this.conn.rollback().catch(() => undefined);
      throw err;
    }
  }

  async isApplied(step: PlanStep): Promise<boolean> {
    const check = step.check;
    const db = step.database;
    const count = async (sql: string, params: unknown[]) => {
      const [rows] = await this.conn.query<RowDataPacket[]>(sql, params);
      return rows;
    };
    switch (check.kind) {
      case 'transactional':
        return false;
      case 'database-exists':
        return (await count('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=?', [db])).length > 0;
      case 'table-exists':
        return (await count('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?', [db, check.table])).length > 0;
      case 'column-exists':
        return (await count(
          'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? AND COLUMN_NAME=?',
          [db, check.table, check.column],
        )).length > 0;
      case 'index-exists':
        return (await count(
          'SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? AND INDEX_NAME=?',
          [db, check.table, check.index],
        )).length > 0;
      case 'column-type': {
        const rows = await count(
          'SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? AND COLUMN_NAME=?',
          [db, check.table, check.column],
        );
        return rows.length > 0 && renderColumnType(parseColumnTypeText(String(rows[0]!.t))) === check.columnType;
      }
      case 'row-format': {
        const rows = await count('SELECT ROW_FORMAT AS f FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?', [db, check.table]);
        return rows.length > 0 && String(rows[0]!.f).toUpperCase() === check.rowFormat;
      }
    }
  }
}
