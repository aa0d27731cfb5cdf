import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { TarsDockerError } from '../errors.js';
import { sleep } from './wait.js';
import type { ProcRecord } from './types.js';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a short command; a failure carries the command and its stderr in one line. */
export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(cmd, args, { env: opts.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim().split('\n').slice(-3).join(' | ');
        reject(new TarsDockerError(`${cmd} ${args.join(' ')}: ${detail}`, 1, {}, { cause: err }));
      } else resolvePromise({ stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like `run`, but a failure is an answer, not an error (for probes and best-effort cleanup). */
export async function tryRun(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch {
    return false;
  }
}

/**
 * A clean environment for daemons: no proxy variables (lab traffic must never leave the machine), and the
 * distribution's containerd and runc found before anything in /usr/local.
 */
const DAEMON_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin', HOME: '/root', LC_ALL: 'C' };

/** Starts a daemon in its own session so it outlives this process; its output goes to `log`. */
export function spawnDetached(cmd: string, args: string[], log: string): Promise<number> {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env: DAEMON_ENV });
    return new Promise((resolvePromise, reject) => {
      child.once('error', (err) => reject(new TarsDockerError(`cannot start ${cmd}: ${err.message}`, 1, {}, { cause: err })));
      child.once('spawn', () => {
        child.unref();
        resolvePromise(child.pid as number);
      });
    });
  } finally {
    closeSync(fd);
  }
}

export function cmdline(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a) => a.length > 0);
  } catch {
    return null;
  }
}

/** Alive and not a zombie: a zombie holds its pid but no longer any resource. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The pid still runs the program we started, not something that inherited the number. */
export function isOurs(rec: ProcRecord): boolean {
  const argv = cmdline(rec.pid);
  if (!argv || !isAlive(rec.pid)) return false;
  return argv.some((a) => a.includes(rec.marker));
}

export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(isAlive);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50);
    left = left.filter(isAlive);
  }
  return left;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL whatever is still there after `graceMs`. */
export async function terminate(pids: number[], graceMs: number): Promise<void> {
  const own = new Set(ancestry());
  const targets = pids.filter((p) => !own.has(p) && isAlive(p));
  if (targets.length === 0) return;
  for (const p of targets) signal(p, 'SIGTERM');
  const left = await waitGone(targets, graceMs);
  for (const p of left) signal(p, 'SIGKILL');
  await waitGone(left, 3000);
}

export async function stopRecorded(rec: ProcRecord | undefined, graceMs: number): Promise<void> {
  if (rec && isOurs(rec)) await terminate([rec.pid], graceMs);
}

/** This process and its parents: a sweep must never hit the shell or runner that called it. */
export function ancestry(): number[] {
  const out: number[] = [];
  let pid = process.pid;
  while (pid > 1 && out.length < 64) {
    out.push(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

export function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
