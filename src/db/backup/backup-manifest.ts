import { chmod, mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import type { ChecksumKind } from './checksum.js';
import type { Expiries } from '../self-expiring.js';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'tars-docker-backup/2';
/** The files are the same in both formats; only the table checksum differs (see checksum.ts). */
const CHECKSUM_OF_FORMAT = { 'tars-docker-backup/1': 'crc32-pair', 'tars-docker-backup/2': 'crc32-row' } as const satisfies Record<string, ChecksumKind>;
export type BackupFormat = keyof typeof CHECKSUM_OF_FORMAT;

export interface BackupTable {
  name: string;
  /** SHOW CREATE TABLE at backup time. */
  createSql: string;
  /** Path of the gzip file relative to the backup directory. */
  file: string;
  rows: number;
  columns: string[];
  /** Server-side checksum (see checksum.ts, of the kind the format names) in the backup's snapshot; a restore must reproduce it. */
  checksum: string;
  /** Uncompressed size of the INSERT statements. */
  bytes: number;
  /** sha256 of the gzip file as written. */
  sha256: string;
  /** Self-expiring tables (login tickets) only: rows per minute of expiry in the same snapshot. */
  expiries?: Expiries;
}

export interface BackupDatabase {
  name: string;
  charset: string;
  collation: string;
  tables: BackupTable[];
}

export interface BackupManifest {
  format: BackupFormat;
  id: string;
  created: string;
  server: string;
  databases: BackupDatabase[];
}

export function newBackupId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

export async function readManifest(backupDir: string, id: string): Promise<BackupManifest> {
  if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new InputError(`invalid backup id "${id}"`);
  let text: string;
  try {
    text = await readFile(join(backupDir, id, MANIFEST), 'utf8');
  } catch (err) {
    throw new InputError(`no backup ${id} in ${backupDir}`, { file: join(backupDir, id) }, { cause: err });
  }
  const manifest = JSON.parse(text) as BackupManifest;
  if (!Object.hasOwn(CHECKSUM_OF_FORMAT, manifest.format)) throw new InputError(`backup ${id} has unknown format ${String(manifest.format)}`);
  return manifest;
}

/** The checksum a backup's tables carry, by which a restore or a verification must compare them. */
export const checksumKindOf = (manifest: BackupManifest): ChecksumKind => CHECKSUM_OF_FORMAT[manifest.format];

/** Complete backups, oldest first; a directory without a manifest is a backup that never finished. */
export async function listBackups(backupDir: string): Promise<BackupManifest[]> {
  let names: string[];
  try {
    names = await readdir(backupDir);
  } catch {
    return [];
  }
  const manifests: BackupManifest[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    manifests.push(...(await readManifest(backupDir, name).then((m) => [m], () => [])));
  }
  return manifests;
}

/** Files go to a hidden directory first; the manifest and a rename make the backup appear all at once. */
export async function stagingDir(backupDir: string, id: string): Promise<string> {
  const dir = join(backupDir, `.tmp-${id}`);
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

export async function publish(backupDir: string, staging: string, manifest: BackupManifest): Promise<string> {
  await writeFile(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  await fsyncPath(join(staging, MANIFEST));
  await fsyncPath(staging);
  const final = join(backupDir, manifest.id);
  await rename(staging, final);
  await fsyncPath(backupDir);
  return final;
}

export async function discard(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
