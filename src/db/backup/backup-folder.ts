import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, TarsDockerError } from '../../errors.js';

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
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(at)).isDirectory();
    } catch (err) {
      // Walk up to the part of the path that exists: a missing folder is made later, a file in the way is named.
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) {
        at = dirname(at);
        continue;
      }
      throw backupFolderError(dir, err, `write into ${at}`);
    }
    if (!isDirectory) throw backupFolderError(dir, Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' }), `write into ${at}`);
    try {
      await access(at, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw backupFolderError(dir, err, `write into ${at}`);
    }
    return;
  }
}

function describeCode(code: string): string {
  switch (code) {
    case 'EROFS': return 'read-only file system';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'not a directory';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'ENOENT': return 'no such file or directory';
    default: return 'file system error';
  }
}
