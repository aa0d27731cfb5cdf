import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MysqlConfig } from '../../src/config/types.js';

const run = promisify(execFile);
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface PrivateMariadb {
  /** root over TCP on 127.0.0.1, no password, as the machine's own MariaDB. */
  mysql: MysqlConfig;
  /** Every statement the server received (its general log), to see exactly what ran. */
  generalLog(): Promise<string>;
  /** Stops the server (SIGTERM, waiting for its exit) and removes its data directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves when the server logs that it accepts connections; rejects if it exits first or takes too long. */
function ready(child: ChildProcess): Promise<void> {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) => fail(`exited (${signal ?? code}) before accepting connections`);
    const fail = (why: string) => { clearTimeout(timer); reject(new Error(`mariadbd ${why}:\n${log.slice(-2000)}`)); };
    child.once('exit', onExit);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/ready for connections/.test(log)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
}

/**
 * A MariaDB of the test's own (private data directory, socket and port) started with extra server options, so
 * a test can try settings such as --innodb-instant-alter-column-allowed=never without touching the machine's.
 */
export async function startPrivateMariadb(options: string[]): Promise<PrivateMariadb> {
  const dir = await mkdtemp(join(tmpdir(), 'tdm-mariadb-'));
  const data = join(dir, 'data');
  // Its own tmpdir: starting up, MariaDB deletes every #sql* file in it, which in /tmp are the live temporary
  // tables of the machine's server and the lab's.
  const tmp = join(dir, 'tmp');
  const log = join(dir, 'general.log');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    await mkdir(tmp);
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, `--tmpdir=${tmp}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root']);
    port = await freePort();
    child = spawn('mariadbd', [
      '--no-defaults', `--datadir=${data}`, `--tmpdir=${tmp}`, `--socket=${join(dir, 'mysql.sock')}`, `--port=${port}`, '--bind-address=127.0.0.1',
      '--user=root', '--skip-name-resolve', '--innodb-flush-log-at-trx-commit=2', `--pid-file=${join(dir, 'mariadbd.pid')}`,
      '--general-log=1', `--general-log-file=${log}`, ...options,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    await ready(child);
  } catch (err) {
    if (child && child.exitCode === null) await stopChild(child);
    await cleanup();
    throw err;
  }
  const server = child;
  return {
    mysql: { host: '127.0.0.1', port, user: 'root', password: '' },
    generalLog: () => readFile(log, 'utf8'),
    stop: async () => { await stopChild(server); await cleanup(); },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr?.resume();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
