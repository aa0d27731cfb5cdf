import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { parse } from 'dotenv';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../../src/config/types.js';
import { withConnection, type DbConnection } from '../../src/db/connection.js';
import { applyMigration, readSchemaDir, type DatabaseRef, type SchemaFiles } from '../../src/db/migrate/migrate.js';
import { seedDatabase } from './seed.js';

/** The lab's MariaDB when the suite runs with the lab (npm test), else the machine's own on 127.0.0.1. */
function testMysql(): MysqlConfig {
  const labEnv = process.env.TARS_LAB_DIR ? join(process.env.TARS_LAB_DIR, '.env') : '';
  if (!process.env.TDM_MYSQL_HOST && labEnv && existsSync(labEnv)) {
    const env = parse(readFileSync(labEnv));
    return { host: env.MYSQL_HOST!, port: Number(env.MYSQL_PORT), user: env.MYSQL_USER!, password: env.MYSQL_ROOT_PASSWORD! };
  }
  return {
    host: process.env.TDM_MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.TDM_MYSQL_PORT ?? 3306),
    user: process.env.TDM_MYSQL_USER ?? 'root',
    password: process.env.TDM_MYSQL_PASSWORD ?? '',
  };
}

export const MYSQL: MysqlConfig = testMysql();

/**
 * The schema versions under images/framework/sql, oldest first: the lab's image tags, plus v2.4.2, which the lab
 * does not build: the database an early install (TarsWeb 2.4.2) left behind and later images never rewrote.
 */
export const SCHEMA_VERSIONS = ['v2.4.2', 'v2.4.22', 'v3.0.6', 'v3.0.14', 'v3.0.16', 'v3.0.17'];
/** The oldest layout: t_kafka_queue, varchar(256) columns, no t_bm_case; most steps and findings to any target. */
export const OLDEST_SCHEMA = 'v2.4.2';
export const SQL_ROOT = new URL('../../images/framework/sql/', import.meta.url).pathname;

/** Every test database starts with tdm_ and a per-test random part; the real names are never touched. */
export function newPrefix(label: string): string {
  return `tdm_${label}_${process.pid}_${Math.random().toString(36).slice(2, 7)}_`;
}

export function refsFor(prefix: string): DatabaseRef[] {
  return [
    { target: 'db_tars_web', live: `${prefix}db_tars_web` },
    { target: 'db_user_system', live: `${prefix}db_user_system` },
  ];
}

export function labSchema(version: string): Promise<SchemaFiles> {
  return readSchemaDir(join(SQL_ROOT, version));
}

export async function dropPrefixed(prefix: string): Promise<void> {
  if (!/^tdm_\w+_$/.test(prefix)) throw new Error(`refusing to drop databases for prefix ${prefix}`);
  await withConnection(MYSQL, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [`${prefix}%`]);
    for (const row of rows) await conn.query(`DROP DATABASE \`${String(row.n)}\``);
  });
}

export async function tempDir(label: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `tdm-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Creates the databases of a lab version (through the migrator, as a first install would) and fills every table. */
export async function createSeeded(prefix: string, version: string, backupDir: string, rows = 2000, mysql = MYSQL): Promise<DatabaseRef[]> {
  const databases = refsFor(prefix);
  const result = await applyMigration({ mysql, databases, schemaFiles: await labSchema(version), version }, { backupDir });
  if (!result.ok) throw new Error(`creating ${version} failed: ${JSON.stringify(result.databases.map((d) => d.schema))}`);
  await withConnection(mysql, async (conn) => {
    for (const ref of databases) await seedDatabase(conn, ref.live, rows);
  });
  return databases;
}

export async function rowCounts(conn: DbConnection, database: string): Promise<Record<string, number>> {
  const [tables] = await conn.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME <> 'tars_docker_migrations' ORDER BY 1", [database]);
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${database}\`.\`${String(t)}\``);
    counts[String(t)] = Number(rows[0]!.n);
  }
  return counts;
}
