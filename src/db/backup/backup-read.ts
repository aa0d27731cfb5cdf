import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { readManifest, type BackupTable } from './backup-manifest.js';
import { countTuples } from './insert-lines.js';

/** Decompressed bytes are handed on in pieces this large: fewer turns of the loop that splits them into lines. */
const GUNZIP_CHUNK = 256 * 1024;

/**
 * The INSERT lines of one table file as bytes, one at a time, while hashing the compressed bytes as they pass.
 * The file is read only as fast as the lines are taken, so memory stays constant whatever the table's size. A
 * line is valid until the next one is asked for.
 */
export async function* readInsertLines(backupPath: string, table: BackupTable, hash?: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const file = createReadStream(join(backupPath, table.file));
  const tap = new PassThrough();
  if (hash) tap.on('data', (chunk: Buffer) => hash.update(chunk));
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(tap).pipe(gunzip);
  let pending: Buffer[] = [];
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const line = pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(start, end)]) : chunk.subarray(start, end);
      pending = [];
      start = end + 1;
      if (line.length > 0) yield line;
    }
    // A statement cut by the end of a chunk: a copy, since the stream may reuse the chunk's memory.
    if (start < chunk.length) pending.push(Buffer.from(chunk.subarray(start)));
  }
  const last = Buffer.concat(pending);
  if (last.length > 0) yield last;
}

export interface BackupProblem {
  database: string;
  table: string;
  reason: string;
}

/** Re-reads every file of a backup (or of some of its databases) against the manifest: file hash, size, rows. */
export async function verifyBackup(backupDir: string, id: string, databases?: string[]): Promise<BackupProblem[]> {
  const manifest = await readManifest(backupDir, id);
  const path = join(backupDir, id);
  const problems: BackupProblem[] = [];
  for (const db of manifest.databases.filter((d) => !databases || databases.includes(d.name))) {
    for (const table of db.tables) {
      const hash = createHash('sha256');
      let rows = 0;
      let bytes = 0;
      try {
        for await (const line of readInsertLines(path, table, hash)) {
          rows += countTuples(line);
          bytes += line.length + 1;
        }
      } catch (err) {
        problems.push({ database: db.name, table: table.name, reason: `unreadable: ${(err as Error).message}` });
        continue;
      }
      const at = { database: db.name, table: table.name };
      if (hash.digest('hex') !== table.sha256) problems.push({ ...at, reason: 'file hash differs from the manifest' });
      if (rows !== table.rows) problems.push({ ...at, reason: `${rows} rows in the file, ${table.rows} in the manifest` });
      if (bytes !== table.bytes) problems.push({ ...at, reason: `${bytes} bytes in the file, ${table.bytes} in the manifest` });
    }
  }
  return problems;
}

/**
 * The cheap half of verifyBackup, for restore's check before it touches the server: each file's sha256 against the
 * manifest. A match proves the file is byte for byte the one whose rows the backup counted; the rows themselves are
 * proven afterwards, by count and checksum, in the copy the restore loads.
 */
export async function checkFileHashes(backupDir: string, id: string, databases?: string[]): Promise<BackupProblem[]> {
  const manifest = await readManifest(backupDir, id);
  const problems: BackupProblem[] = [];
  for (const db of manifest.databases.filter((d) => !databases || databases.includes(d.name))) {
    for (const table of db.tables) {
      const hash = createHash('sha256');
      const at = { database: db.name, table: table.name };
      try {
        await pipeline(createReadStream(join(backupDir, id, table.file)), hash);
      } catch (err) {
        problems.push({ ...at, reason: `unreadable: ${(err as Error).message}` });
        continue;
      }
      if (hash.digest('hex') !== table.sha256) problems.push({ ...at, reason: 'file hash differs from the manifest' });
    }
  }
  return problems;
}
