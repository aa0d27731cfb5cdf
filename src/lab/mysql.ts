import mysql from 'mysql2/promise';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TarsDockerError, errorMessage } from '../errors.js';
import { redact } from '../redact.js';
import { labFiles, runBase, socketPath } from './paths.js';
import { isAlive, run, spawnDetached, tail } from './proc.js';
import { waitFor } from './wait.js';
import { LAB_GATEWAY, MYSQL_PORT } from './types.js';
import type { ProcRecord } from './types.js';

export function mysqlFiles(dir: string) {
  const base = labFiles(dir).mysql;
  return {
    base,
    data: join(base, 'data'),
    tmp: join(base, 'tmp'),
    socket: socketPath(join(base, 'mysqld.sock'), join(runBase(dir), 'mysqld.sock')),
    pidFile: join(base, 'mysqld.pid'),
    log: join(base, 'error.log'),
  };
}

/** Throwaway data: durability is traded for speed, since tests create and drop schemas constantly. */
const TUNING = [
  '--innodb-buffer-pool-size=64M',
  '--innodb-log-file-size=16M',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--innodb-flush-method=nosync',
  '--performance-schema=OFF',
  '--max-connections=500',
];

/** `--no-defaults` keeps the system instance's /etc/mysql configuration out of the lab's. */
export function mysqldArgs(dir: string): string[] {
  const f = mysqlFiles(dir);
  return [
    '--no-defaults',
    '--user=root',
    `--datadir=${f.data}`,
    // Its own: a MariaDB starting up deletes every #sql* file in its tmpdir, the live temporary tables of any
    // other server sharing /tmp (the machine's, a test's) included.
    `--tmpdir=${f.tmp}`,
    `--socket=${f.socket}`,
    `--pid-file=${f.pidFile}`,
    `--log-error=${f.log}`,
    `--bind-address=${LAB_GATEWAY}`,
    `--port=${MYSQL_PORT}`,
    '--skip-name-resolve',
    ...TUNING,
  ];
}

export async function installMysql(installDb: string, dir: string): Promise<void> {
  const f = mysqlFiles(dir);
  // A half-initialised datadir (crash during install) cannot be resumed; start over.
  rmSync(f.data, { recursive: true, force: true });
  mkdirSync(f.data, { recursive: true });
  mkdirSync(f.tmp, { recursive: true });
  await run(installDb, ['--no-defaults', '--user=root', `--datadir=${f.data}`, `--tmpdir=${f.tmp}`, '--auth-root-authentication-method=normal',
    '--skip-test-db', ...TUNING]);
}

export async function startMysql(mariadbd: string, dir: string): Promise<ProcRecord> {
  const f = mysqlFiles(dir);
  rmSync(f.socket, { force: true });
  mkdirSync(f.tmp, { recursive: true });
  const pid = await spawnDetached(mariadbd, mysqldArgs(dir), join(f.base, 'mariadbd.out'));
  return { pid, exe: 'mariadbd', marker: f.data, log: f.log };
}

async function tryConnect(socket: string, password: string | undefined): Promise<mysql.Connection | null> {
  try {
    return await mysql.createConnection({ socketPath: socket, user: 'root', password, connectTimeout: 2000 });
  } catch {
    return null;
  }
}

/**
 * Waits for the server, then makes sure every root account carries the lab password and root@'%' may GRANT
 * (the framework creates its own users). Safe to repeat: an already-set password is simply accepted.
 */
export async function waitMysqlAndSecure(rec: ProcRecord, dir: string, password: string): Promise<void> {
  const f = mysqlFiles(dir);
  let conn: mysql.Connection | null = null;
  await waitFor(async () => (conn = (await tryConnect(f.socket, password)) ?? (await tryConnect(f.socket, undefined))) !== null, {
    what: 'mysql: mariadbd did not accept connections',
    timeoutMs: 60_000,
    intervalMs: 100,
    abort: () => (isAlive(rec.pid) ? null : 'mariadbd exited'),
    detail: () => tail(f.log),
  });
  const c = conn as mysql.Connection | null;
  if (!c) throw new TarsDockerError('mysql: no connection');
  try {
    // Hostname accounts are ignored under --skip-name-resolve and cannot be altered; loopback ones are unreachable.
    await c.query("DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '%'))");
    await c.query('FLUSH PRIVILEGES');
    await c.query("CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY ?", [password]);
    await c.query("ALTER USER 'root'@'%' IDENTIFIED BY ?", [password]);
    await c.query("ALTER USER 'root'@'localhost' IDENTIFIED BY ?", [password]);
    await c.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION");
    await c.query('FLUSH PRIVILEGES');
  } catch (err) {
    // The driver's error carries the statement, password included: keep only its message.
    throw new TarsDockerError(`mysql: setting the root password failed: ${redact(errorMessage(err))}`);
  } finally {
    await c.end();
  }
}
