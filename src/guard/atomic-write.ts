import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file so that a reader sees the old bytes or the new ones, never half: write a sibling, flush it,
 * rename over. A symlink is followed so the link itself survives; mode (and owner, when allowed) are kept.
 */
export function writeFileAtomic(file: string, data: Buffer): void {
  const target = realpathSync(file);
  const st = statSync(target);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', st.mode & 0o7777);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // openSync's mode went through the umask; set it exactly.
    chmodSync(tmp, st.mode & 0o7777);
    try {
      chownSync(tmp, st.uid, st.gid);
    } catch {
      // Only root may give a file away; for the owner itself nothing changes.
    }
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
