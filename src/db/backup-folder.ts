import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, TarsDockerError } from '../errors.js';

/** A folder that cannot hold files at all is the operator's setting to fix; a full disk is a failure of the machine. */
const SETTING_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'ENOENT', 'ELOOP', 'ENAMETOOLONG']);
/** Only these are the folder's; a socket's EPIPE or ECONNRESET is MySQL's and keeps its own message. */
const FOLDER_CODES = new Set([...SETTING_CODES, 'ENOSPC', 'EDQUOT', 'EIO', 'EFBIG']);

/** The one line for a file-system error met while writing a backup under `dir`: folder, what failed and why. */
export function backupFolderError(dir: string, err: unknown, doing: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e.code !== 'string' || !FOLDER_CODES.has(e.code)) return err;
  const why = `${e.code}: ${describeCode(e.code)}`;
  const message = `backup folder ${dir}: cannot ${doing} (${why}); no backup was kept`;
  return SETTING_CODES.has(e.code) ? new InputError(message, { file: dir }, { cause: err }) : new TarsDockerError(message, undefined, { file: dir }, { cause: err });
}

/**
 * Read-only check that a backup can be written under `dir` (made later if missing): the nearest existing folder
 * must be a writable directory. Run before a rollout so a bad folder stops it before any host is touched.
 */
export async function assertBackupFolderUsable(dir: string): Promise<void> {
  let at = resolve(dir);
  for (;;) {
    try {
      const s = await stat(at);
      if (!s.isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR', syscall: 'stat' });
      await access(at, constants.W_OK | constants.X_OK);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw backupFolderError(dir, err, `write into ${at}`);
      at = dirname(at);
    }
  }
}

function describeCode(code: string): string {
  switch (code) {
    case 'EROFS': return 'read-only file system';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'ENOENT': return 'no such file or directory';
    default: return 'file system error';
  }
}
