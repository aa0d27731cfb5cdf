import mysql from 'mysql2/promise';
import { sleep } from '../common/env.mjs';

function connectionOptions(cfg) {
  return { ...cfg.mysql, connectTimeout: 2000, dateStrings: true };
}

// tars-install.sh's check_mysql: try, log, sleep 3, forever. The container keeps running and never heartbeats
// while MySQL is unreachable; only a health gate that looks at heartbeats can tell.
export async function connectWithRetry(cfg, log) {
  const pool = mysql.createPool({ ...connectionOptions(cfg), connectionLimit: 4 });
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      log.info(`mysql is alive: ${cfg.mysql.host}:${cfg.mysql.port} as ${cfg.mysql.user}`);
      return pool;
    } catch (err) {
      log.error(`check mysql is not alive (${err.code ?? err.message}, attempt ${attempt}): waiting for MySQL ${cfg.mysql.host}:${cfg.mysql.port}, try again`);
      await sleep(3000);
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
