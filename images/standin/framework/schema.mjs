import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSqlFile } from './mysql.mjs';

// The six databases REBUILD drops, each with the file (relative to deploy/) that creates it; the history
// databases start empty.
export const DATABASES = [
  ['db_tars', 'framework/sql/db_tars.sql'],
  ['tars_stat', null],
  ['tars_property', null],
  ['db_tars_web', 'web/sql/db_tars_web.sql'],
  ['db_user_system', 'web/sql/db_user_system.sql'],
  ['db_cache_web', 'web/sql/db_cache_web.sql'],
];

export async function existingDatabases(pool) {
  const [rows] = await pool.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  return new Set(rows.map((r) => r.name));
}

export async function dropForRebuild(pool, log) {
  for (const [name] of DATABASES) {
    await pool.query(`DROP DATABASE IF EXISTS \`${name}\``);
  }
  log.warn(`REBUILD=true: dropped ${DATABASES.map(([n]) => n).join(', ')}`);
}

async function create(cfg, pool, log, name, file) {
  await pool.query(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8`);
  if (!file) {
    log.info(`created empty database ${name}`);
    return;
  }
  try {
    await runSqlFile(cfg, name, readFileSync(join(cfg.deployDir, file), 'utf8'));
  } catch (err) {
    // a half-built database would look "existing" on the next start and never be completed
    await pool.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => {});
    throw new Error(`creating ${name} from ${file} failed: ${err.message}`);
  }
  log.info(`created database ${name} from ${file}`);
}

// An existing database is never touched: its files start with DROP TABLE and would wipe live data. The
// missing ones are built side by side, since each CREATE TABLE waits on a log flush.
export async function createMissing(cfg, pool, log) {
  const existing = await existingDatabases(pool);
  const missing = DATABASES.filter(([name]) => !existing.has(name));
  const results = await Promise.allSettled(missing.map(([name, file]) => create(cfg, pool, log, name, file)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
