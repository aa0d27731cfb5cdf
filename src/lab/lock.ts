import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TarsDockerError } from '../errors.js';
import { cmdline, isAlive, isOurs } from './proc.js';
import { readState } from './state.js';
import { RUN_ROOT } from './types.js';
import { sleep } from './wait.js';
import { labFiles } from './paths.js';

const LOCK = join(RUN_ROOT, 'lock');
const OWNER = join(RUN_ROOT, 'owner');

/**
 * Bridge and namespace names are machine-wide, so every lab command takes one machine-wide lock; test files
 * run in parallel processes and may all call labUp at once.
 */
export async function withLabLock<T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  mkdirSync(RUN_ROOT, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let told = false;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(LOCK, 'utf8').trim());
        // Created but not yet written by its owner: give it a moment unless it has been empty for long.
        if (!holder && Date.now() - statSync(LOCK).mtimeMs < 2000) {
          await sleep(20);
          continue;
        }
      } catch {
        continue; // released between our two calls
      }
      // A dead holder, or its pid reused by something that is not a node process, left the lock behind.
      if (!holder || !isAlive(holder) || !(cmdline(holder)?.[0] ?? '').includes('node')) {
        rmSync(LOCK, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new TarsDockerError(`lab: lock ${LOCK} still held by pid ${holder}`);
      if (!told) log(`lab: waiting for another lab command (pid ${holder})`);
      told = true;
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    if (existsSync(LOCK) && readFileSync(LOCK, 'utf8').trim() === String(process.pid)) rmSync(LOCK, { force: true });
  }
}

/** The lab directory whose network currently exists, if that lab still has its state file. */
export function currentLabDir(): string | null {
  if (!existsSync(OWNER)) return null;
  const dir = readFileSync(OWNER, 'utf8').trim();
  return dir && existsSync(labFiles(dir).state) ? dir : null;
}

/**
 * A lab whose recorded processes are all gone (its session was killed, the machine handed on) gives up the
 * network names: the new lab's setup cleans and reuses them by name. Returns that dead lab's directory.
 */
export function claimOwner(dir: string): string | null {
  const other = currentLabDir();
  if (other && other !== dir && labRunning(other)) {
    throw new TarsDockerError(`lab: another lab is up in ${other}; run \`tars-docker lab down\` for it first`);
  }
  writeFileSync(OWNER, dir);
  return other && other !== dir ? other : null;
}

function labRunning(dir: string): boolean {
  return Object.values(readState(dir)?.processes ?? {}).some((rec) => isOurs(rec));
}

export function releaseOwner(dir: string): void {
  if (existsSync(OWNER) && readFileSync(OWNER, 'utf8').trim() === dir) rmSync(OWNER, { force: true });
}
