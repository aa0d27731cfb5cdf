import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';

/**
 * What `watch` has already told whom. `delivered` holds, per notifier id, the keys of the facts that notifier
 * has received (or took as its baseline), so a failed notifier is retried without re-notifying the others.
 */
export interface WatchState {
  version: 1;
  updatedAt: string | null;
  delivered: Record<string, string[]>;
  lastCheck?: { at: string; updateAvailable: boolean; newest: Record<string, string | null> };
}

export function emptyState(): WatchState {
  return { version: 1, updatedAt: null, delivered: {} };
}

export async function loadState(file: string): Promise<WatchState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new InputError(`cannot read watch state ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`watch state ${file} is not JSON; remove it to start over`, { file }, { cause: err });
  }
  const s = parsed as Partial<WatchState>;
  const validDelivered =
    typeof s.delivered === 'object' && s.delivered !== null &&
    Object.values(s.delivered).every((v) => Array.isArray(v) && v.every((k) => typeof k === 'string'));
  if (s.version !== 1 || !validDelivered) {
    const msg = `watch state ${file} has an unknown layout (expected version 1); remove it to start over`;
    throw new InputError(msg, { file });
  }
  return { ...emptyState(), ...s } as WatchState;
}

/** temp file in the same directory + fsync + rename: a crash leaves the old state or the new one, never half. */
export async function saveState(file: string, state: WatchState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
