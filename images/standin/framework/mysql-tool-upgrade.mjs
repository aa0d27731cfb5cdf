import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// What TarsFramework's `mysql-tool --upgrade=tars_upgrade.conf` does at every start of a framework (master or
// slave) that finds db_tars already there (deploy/tars-install.sh, mysql-tool/main.cpp): for each
// <upgrades><name> domain, run its `sql` in `database` unless `table` already has `field`.

// TC_Config semantics: a domain named twice is one domain whose later keys win (the real file has two
// <upgrade3>, so only the second of them, t_base_image.result, is ever applied).
export function parseUpgradeConf(text) {
  const domains = new Map();
  let current = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const open = /^<([^/>]+)>$/.exec(line);
    if (open) {
      if (open[1] !== 'upgrades') {
        current = domains.get(open[1]) ?? {};
        domains.set(open[1], current);
      }
      continue;
    }
    if (/^<\/[^>]+>$/.test(line)) {
      current = null;
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return [...domains.entries()].map(([name, d]) => ({ name, database: d.database, table: d.table, field: d.field, sql: d.sql }));
}

async function dbTarsExists(pool) {
  const [rows] = await pool.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'db_tars'");
  return rows.length > 0;
}

async function hasColumn(pool, { database, table, field }) {
  const [rows] = await pool.query(
    'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?',
    [database, table, field],
  );
  return rows.length > 0;
}

// The first failing statement ends mysql-tool (exit -1); tars-install.sh logs the code and carries on. It runs
// before REBUILD's drop and the slave's db_tars check in the real order too, with the same end state.
export async function upgradeInstalled(pool, cfg, log) {
  const file = join(cfg.deployDir, 'framework/sql/tars_upgrade.conf');
  if (!existsSync(file) || !(await dbTarsExists(pool))) return;
  for (const up of parseUpgradeConf(readFileSync(file, 'utf8'))) {
    if (await hasColumn(pool, up)) continue;
    const conn = await pool.getConnection();
    try {
      await conn.query(`USE \`${up.database}\``);
      await conn.query(up.sql);
      log.info(`upgrade sql: ${up.database}.${up.table} gained ${up.field}`);
    } catch (err) {
      log.error(`exec_mysql_upgrade tars_upgrade.conf, ret code: 255 (${up.name}: ${err.message})`);
      return;
    } finally {
      conn.release();
    }
  }
}
