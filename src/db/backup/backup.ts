import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../../config/types.js';
import { InputError, TarsDockerError } from '../../errors.js';
import {
  FORMAT, discard, fsyncPath, newBackupId, publish, stagingDir,
  type BackupDatabase, type BackupManifest, type BackupTable,
} from './backup-manifest.js';
import { assertBackupFolderUsable, backupFolderError } from './backup-folder.js';
import { baseTables, checksumInParts, columnFacts, type ColumnFacts } from './checksum.js';
import { RowChecksum, summableInClient } from './row-checksum.js';
import { shareSnapshot } from './shared-snapshot.js';
import { quoteIdent } from '../sql/column-type.js';
import { isMysqlError, mysqlError, openConnection, type DbConnection } from '../connection.js';
import { qualified } from '../schema/ddl-render.js';
import { InsertLines, columnKind } from './insert-lines.js';
import { dataSession } from '../session.js';
import { readExpiries } from '../self-expiring.js';
import { dumpRows } from './table-dump.js';

export interface BackupOptions {
  backupDir: string;
  databases: string[];
  /** zlib level; 1 keeps up with the row stream, higher levels trade speed for size. */
  gzipLevel?: number;
  onTable?: (database: string, table: BackupTable) => void;
}

/**
 * A logical backup: per table a gzip file of INSERT lines streamed straight from the server (memory stays
 * constant whatever the table size), read inside one consistent snapshot per database, plus a manifest with row
 * counts and checksums. Published by renaming a finished directory, so a crash leaves no half backup behind.
 */
export async function createBackup(cfg: MysqlConfig, opts: BackupOptions): Promise<BackupManifest> {
  const id = newBackupId();
  const staging = await openStaging(opts.backupDir, id);
  const conns: DbConnection[] = [];
  try {
    // One connection streams rows; the others have the server checksum, in the same snapshot, a table whose values
    // this program cannot sum from the stream.
    const opened = await Promise.allSettled(Array.from({ length: SUMMERS + 1 }, () => openConnection(cfg)));
    for (const o of opened) if (o.status === 'fulfilled') conns.push(o.value);
    for (const o of opened) if (o.status === 'rejected') throw o.reason;
    const sides: Sides = { reader: conns[0]!, summers: conns.slice(1) };
    const [version] = await sides.reader.query<RowDataPacket[]>('SELECT VERSION() AS v');
    const manifest: BackupManifest = { format: FORMAT, id, created: new Date().toISOString(), server: String(version[0]?.v), databases: [] };
    await Promise.all(conns.map(dataSession));
    for (const database of opts.databases) manifest.databases.push(await backupDatabase(cfg, sides, staging, database, opts));
    await publish(opts.backupDir, staging, manifest);
    return manifest;
  } catch (err) {
    await discard(staging);
    throw stoppedError(cfg, opts.backupDir, err);
  } finally {
    for (const c of conns) await c.end().catch(() => c.destroy());
  }
}

/** Why a backup stopped, in one line: a folder that cannot take it, or the server or connection that failed. */
function stoppedError(cfg: MysqlConfig, backupDir: string, err: unknown): unknown {
  const folder = backupFolderError(backupDir, err, 'write the backup');
  if (folder !== err || err instanceof TarsDockerError) return folder;
  return isMysqlError(err) ? mysqlError(cfg, 'backup stopped, no backup was kept', err) : err;
}

async function openStaging(backupDir: string, id: string): Promise<string> {
  try {
    await makePrivateDir(backupDir);
    return await stagingDir(backupDir, id);
  } catch (err) {
    // A recursive mkdir on a read-only file system reports ENOENT; the folder's own check names the real cause.
    await assertBackupFolderUsable(backupDir);
    throw backupFolderError(backupDir, err, 'create a folder in it');
  }
}

/**
 * Connections that checksum each table in key ranges while the reader streams it: the server's checksum costs
 * more than its sending of the rows, so two ranges finish with the stream on a two-core machine.
 */
const SUMMERS = 2;

interface Sides {
  reader: DbConnection;
  /** Empty when the snapshot could not be shared: then the reader checksums too, after streaming. */
  summers: DbConnection[];
}

/** Backups hold every row and column of the databases: only their owner may enter the folders. */
export async function makePrivateDir(path: string): Promise<void> {
  const created = await mkdir(path, { recursive: true, mode: 0o700 });
  // A folder made here is narrowed past the umask; an existing backup root is the operator's, left as it is.
  if (created) await chmod(path, 0o700);
}

async function backupDatabase(cfg: MysqlConfig, sides: Sides, staging: string, database: string, opts: BackupOptions): Promise<BackupDatabase> {
  const conn = sides.reader;
  const [schema] = await conn.query<RowDataPacket[]>(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=?',
    [database],
  );
  if (!schema[0]) throw new InputError(`cannot back up ${database}: no such database`);
  const result: BackupDatabase = { name: database, charset: String(schema[0].cs), collation: String(schema[0].co), tables: [] };
  await makePrivateDir(join(staging, database));
  // One snapshot for the whole database: counts, checksums and rows all describe the same moment.
  const tables = await baseTables(conn, database);
  const columns = new Map<string, ColumnFacts[]>();
  for (const table of tables) columns.set(table, await columnFacts(conn, database, table));
  // Sharing the snapshot holds a read lock for a moment: only worth it when the server has a table to sum.
  const inClient = new Set(tables.filter((t) => summableInClient(columns.get(t)!)));
  const serverSums = inClient.size < tables.length;
  const shared = serverSums && await shareSnapshot(cfg, [sides.reader, ...sides.summers], database, tables);
  if (!shared) await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  const used = shared ? sides : { reader: conn, summers: [] };
  const endSnapshot = async () => {
    for (const c of [used.reader, ...used.summers]) await c.query('COMMIT');
  };
  try {
    for (const table of tables) {
      const entry = await backupTable(used, staging, database, table, columns.get(table)!, inClient.has(table), opts.gzipLevel ?? 1);
      result.tables.push(entry);
      opts.onTable?.(database, entry);
    }
  } catch (err) {
    // What stopped the backup is the error to report, not the COMMIT that fails after it on a lost connection.
    await endSnapshot().catch(() => undefined);
    throw err;
  }
  await endSnapshot();
  return result;
}

async function backupTable(
  { reader: conn, summers }: Sides, staging: string, database: string, table: string, facts: ColumnFacts[], sumInClient: boolean,
  level: number,
): Promise<BackupTable> {
  const [create] = await conn.query<RowDataPacket[]>(`SHOW CREATE TABLE ${qualified(database, table)}`);
  const columns = facts.map((c) => c.name);
  const file = join(database, `${table}.sql.gz`);
  const path = join(staging, file);
  const select = `SELECT ${columns.map(quoteIdent).join(',')} FROM ${qualified(database, table)}`;
  const [, fields] = await conn.query(`${select} LIMIT 0`);
  const lines = new InsertLines(table, fields.map(columnKind));
  const inClient = sumInClient ? new RowChecksum() : undefined;
  const summed = !inClient && summers.length > 0 ? checksumInParts(summers, database, table, columns) : undefined;
  // Settle the checksum whatever the stream does, so its failure is never an unhandled rejection.
  const streamed = await dumpRows(conn, select, lines, path, level, inClient).then((sha256) => ({ sha256 }), (err: unknown) => ({ err }));
  const sum = inClient
    ? { rows: inClient.rows, checksum: inClient.digest() }
    : await (summed ?? checksumInParts([conn], database, table, columns));
  if ('err' in streamed) throw streamed.err;
  await fsyncPath(path);
  // Summed from the stream, the count is the stream's own; from the server, it is a second reading to agree with.
  if (!inClient && lines.rows !== sum.rows) {
    throw new Error(`${database}.${table}: streamed ${lines.rows} rows but the snapshot has ${sum.rows}`);
  }
  const expiries = await readExpiries(conn, database, table);
  return {
    name: table,
    createSql: String(create[0]!['Create Table']),
    file,
    rows: sum.rows,
    columns,
    checksum: sum.checksum,
    bytes: lines.bytes,
    sha256: streamed.sha256,
    ...(expiries ? { expiries } : {}),
  };
}
