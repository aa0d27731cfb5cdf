import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

/** Refuses before any work is done when `file` exists and the caller did not say --force. */
export function assertWritable(file: string, force: boolean, flag: string): void {
  if (existsSync(file) && !force) throw new InputError(`${flag} ${file} exists; give --force to overwrite it`);
  if (!existsSync(dirname(resolve(file)))) throw new InputError(`${flag} ${file}: no such directory ${dirname(resolve(file))}`);
}

/** Writes a whole file or nothing: a sibling with the final mode, flushed, renamed over. */
export function writeFileWhole(file: string, text: string, mode: number): void {
  const target = resolve(file);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
