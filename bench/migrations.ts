/**
 * Migration cost on a table of 1,000,000 rows: adding a column with the algorithm the runner settles on versus
 * ALGORITHM=COPY, in the same run. (Backup and restore speed: bench/backup.ts.)
 *   node --import tsx bench/migrations.ts [rows]
 */
import { pathToFileURL } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../src/config/types.js';
import { withConnection, type DbConnection } from '../src/db/connection.js';
import { alterOnline } from '../src/db/migrate/online-ddl.js';

export interface MigrationBenchOptions {
  mysql?: MysqlConfig;
  rows?: number;
}

const DEFAULT_MYSQL: MysqlConfig = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** A t_tars_files-shaped table filled server-side, so setup costs no client time. */
export async function fill(conn: DbConnection, db: string, rows: number): Promise<void> {
  await conn.query(`CREATE DATABASE \`${db}\``);
  await conn.query(`USE \`${db}\``);
  await conn.query(`CREATE TABLE \`${db}\`.t_tars_files (
    f_id int NOT NULL AUTO_INCREMENT, application varchar(64) NOT NULL DEFAULT '', server_name varchar(128) NOT NULL DEFAULT '',
    file_name varchar(64) NOT NULL DEFAULT '', posttime datetime DEFAULT NULL, context text, PRIMARY KEY (f_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  const [seq] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.ENGINES WHERE ENGINE='SEQUENCE'");
  const source = Number(seq[0]!.n) > 0
    ? `seq_1_to_${rows} s`
    : `(WITH RECURSIVE r(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM r WHERE seq < ${rows}) SELECT seq FROM r) s`;
  await conn.query('SET SESSION cte_max_recursion_depth = ?', [rows + 1]).catch(() => undefined);
  await conn.query(`INSERT INTO \`${db}\`.t_tars_files (application, server_name, file_name, posttime, context)
    SELECT CONCAT('App', s.seq % 50), CONCAT('Server', s.seq), CONCAT('file', s.seq, '.tars'),
           '2024-01-01 00:00:00' + INTERVAL s.seq SECOND,
           CONCAT('{"接口":"测试', s.seq, '","说明":"腾讯开源微服务框架数据迁移基准"}')
      FROM ${source}`);
}

export async function benchMigrations(opts: MigrationBenchOptions = {}): Promise<string[]> {
  const cfg = opts.mysql ?? DEFAULT_MYSQL;
  const rows = opts.rows ?? 1_000_000;
  const db = `tdm_bench_${process.pid}`;
  const lines: string[] = [];
  try {
    await withConnection(cfg, async (conn) => {
      const [, fillMs] = await timed(() => fill(conn, db, rows));
      lines.push(`setup: ${rows} rows in ${db}.t_tars_files (${(fillMs / 1000).toFixed(1)} s)`);
      const add = `ALTER TABLE \`${db}\`.t_tars_files ADD COLUMN benchmark_context text NULL AFTER context`;
      const [online, onlineMs] = await timed(() => alterOnline(conn, add));
      const [, copyMs] = await timed(() => conn.query(`ALTER TABLE \`${db}\`.t_tars_files ADD COLUMN copy_context text NULL AFTER context, ALGORITHM=COPY`));
      lines.push(`add column: ALGORITHM=${online.algorithm} ${onlineMs.toFixed(1)} ms vs ALGORITHM=COPY ${copyMs.toFixed(0)} ms (COPY takes ${(copyMs / onlineMs).toFixed(0)}x as long)`);
    });
  } finally {
    await withConnection(cfg, (conn) => conn.query(`DROP DATABASE IF EXISTS \`${db}\``)).catch(() => undefined);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = process.argv[2] ? Number(process.argv[2]) : undefined;
  for (const line of await benchMigrations({ rows })) console.log(line);
}
