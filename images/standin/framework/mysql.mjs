import mysql from 'mysql2/promise';
import { sleep } from '../common/env.mjs';

function connectionOptions(cfg) {
  return { ...cfg.mysql, connectTimeout: 2000, dateStrings: true };
}

// MySQL may still be starting next to us (compose, lab up), so wait, but not forever: a wrong host must end in
// a clear exit rather than a container that runs and never joins.
export async function connectWithRetry(cfg, log) {
  const deadline = Date.now() + cfg.mysqlWaitSeconds * 1000;
  const pool = mysql.createPool({ ...connectionOptions(cfg), connectionLimit: 4 });
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      log.info(`connected to mysql ${cfg.mysql.host}:${cfg.mysql.port} as ${cfg.mysql.user}`);
      return pool;
    } catch (err) {
      if (Date.now() >= deadline) {
        await pool.end().catch(() => {});
        throw new Error(`mysql ${cfg.mysql.host}:${cfg.mysql.port} unreachable after ${attempt} attempts: ${err.message}`);
      }
      if (attempt === 1 || attempt % 5 === 0) log.warn(`mysql not ready (${err.code ?? err.message}), retrying`);
      await sleep(1000);
    }
  }
}

// Dump files are many statements with comments and /*!...*/ directives, so they need a multi-statement session.
export async function runSqlFile(cfg, database, sql) {
  const conn = await mysql.createConnection({ ...connectionOptions(cfg), database, multipleStatements: true });
  try {
    await conn.query(sql);
  } finally {
    await conn.end().catch(() => {});
  }
}
