import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cleanups = new Set<() => void>();

/** Runs every registered cleanup once; also called on a plain exit, so no path leaves a folder behind. */
export function runExitCleanups(): void {
  for (const fn of cleanups) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // Best effort: the process is ending and nothing else can use the folder.
    }
  }
}
process.on('exit', runExitCleanups);

/**
 * A private temporary folder (for copies of TLS keys, or a tunnel's socket) that is removed by `remove`, or at
 * process exit, or when the process is stopped by a signal, whichever comes first.
 */
export function privateTempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => {
    cleanups.delete(remove);
    rmSync(path, { recursive: true, force: true });
  };
  cleanups.add(remove);
  return { path, remove };
}
