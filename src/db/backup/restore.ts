import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../../config/types.js';
import { InputError, TarsDockerError, errorMessage } from '../../errors.js';
import { checksumKindOf, readManifest, type BackupDatabase, type BackupManifest } from './backup-manifest.js';
import type { ChecksumKind } from './checksum.js';
import { checkFileHashes } from './backup-read.js';
import { quoteIdent } from '../sql/column-type.js';
import { openConnection, type DbConnection } from '../connection.js';
import { qualified } from '../schema/ddl-render.js';
import { dropShadows, loadShadow, swapIn, type SwapTarget } from './restore-shadow.js';
import { dataSession } from '../session.js';

export interface RestoreOptions {
  backupDir: string;
  id: string;
  /** Backed-up database name → name to restore into; unmapped databases go back under their own name. */
  rename?: Record<string, string>;
  /** Only these backed-up databases (default: all in the backup). */
  databases?: string[];
  /** Replace tables that hold rows; without it such tables stop the restore before anything is written. */
  force?: boolean;
}

export interface RestoredTable {
  database: string;
  table: string;
  rows: number;
  checksum: string;
}

/**
 * Restores in three phases so that no failure can cost a row: every chosen file is checked against its hash in the
 * manifest before the server is touched; each table is loaded into a copy beside the live one and proven equal to
 * the manifest; then one atomic RENAME swaps all copies in. Until that rename the live tables are untouched.
 */
export async function restoreBackup(cfg: MysqlConfig, opts: RestoreOptions): Promise<RestoredTable[]> {
  const manifest = await readManifest(opts.backupDir, opts.id);
  const chosen = selectDatabases(manifest, opts.databases);
  await refuseDamaged(opts, chosen);
  const conn = await openConnection(cfg);
  let checker: DbConnection | undefined;
  try {
    // A second connection of the same session settings loads and sums each copy beside the first.
    checker = await openConnection(cfg);
    for (const c of [conn, checker]) {
      await dataSession(c);
      // Only the incoming copies are written on these sessions, and each is proven by its checksum before it is used.
      await c.query('SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0');
    }
    const targets = await swapTargets(conn, chosen, opts);
    await refuseOverwrite(conn, targets, opts);
    const created = await loadAll([conn, checker], chosen, targets, opts, checksumKindOf(manifest));
    try {
      await swapIn(conn, targets);
    } catch (err) {
      await undoLoad(conn, targets, created);
      throw new TarsDockerError(`restore of backup ${opts.id}: swapping the restored tables in failed, nothing was replaced: ${errorMessage(err)}`);
    }
    await dropShadows(conn, targets, 'replaced');
    return chosen.flatMap((db) => db.tables.map((t) => ({ database: targetOf(db, opts), table: t.name, rows: t.rows, checksum: t.checksum })));
  } finally {
    await conn.end().catch(() => conn.destroy());
    await checker?.end().catch(() => checker?.destroy());
  }
}

const targetOf = (db: BackupDatabase, opts: RestoreOptions) => opts.rename?.[db.name] ?? db.name;

function selectDatabases(manifest: BackupManifest, names: string[] | undefined): BackupDatabase[] {
  if (!names) return manifest.databases;
  return names.map((name) => {
    const db = manifest.databases.find((d) => d.name === name);
    if (!db) throw new InputError(`backup ${manifest.id} has no database ${name}`);
    return db;
  });
}

async function refuseDamaged(opts: RestoreOptions, chosen: BackupDatabase[]): Promise<void> {
  const problems = await checkFileHashes(opts.backupDir, opts.id, chosen.map((d) => d.name));
  if (problems.length === 0) return;
  const list = problems.map((p) => `${p.database}.${p.table}: ${p.reason}`).join('; ');
  throw new InputError(`backup ${opts.id} is damaged, nothing was restored: ${list}`, { file: join(opts.backupDir, opts.id) });
}

/** Checked for every table before the first write, so a refusal leaves everything as it was. */
async function refuseOverwrite(conn: DbConnection, targets: SwapTarget[], opts: RestoreOptions): Promise<void> {
  if (opts.force) return;
  const occupied: string[] = [];
  for (const t of targets.filter((x) => x.replaces)) {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT 1 FROM ${qualified(t.database, t.table)} LIMIT 1`);
    if (rows.length > 0) occupied.push(`${t.database}.${t.table}`);
  }
  if (occupied.length > 0) {
    throw new InputError(`restore would overwrite tables that hold rows: ${occupied.join(', ')}; pass --force to replace them`);
  }
}

async function tableExists(conn: DbConnection, database: string, table: string): Promise<boolean> {
  const [found] = await conn.query<RowDataPacket[]>(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?', [database, table]);
  return found.length > 0;
}

async function swapTargets(conn: DbConnection, dbs: BackupDatabase[], opts: RestoreOptions): Promise<SwapTarget[]> {
  const targets: SwapTarget[] = [];
  for (const db of dbs) {
    for (const t of db.tables) targets.push({ database: targetOf(db, opts), table: t.name, replaces: await tableExists(conn, targetOf(db, opts), t.name) });
  }
  return targets;
}

/** Loads every copy; on any failure drops them, and the databases this restore created, and names the table. */
async function loadAll(checkers: DbConnection[], dbs: BackupDatabase[], targets: SwapTarget[], opts: RestoreOptions, kind: ChecksumKind): Promise<string[]> {
  const conn = checkers[0]!;
  const created: string[] = [];
  let current = '';
  try {
    for (const db of dbs) {
      const target = targetOf(db, opts);
      if (!/^\w+$/.test(db.charset) || !/^\w+$/.test(db.collation)) throw new Error(`the manifest gives a bad charset for ${db.name}`);
      const [exists] = await conn.query<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=?', [target]);
      if (exists.length === 0) {
        await conn.query(`CREATE DATABASE ${quoteIdent(target)} CHARACTER SET ${db.charset} COLLATE ${db.collation}`);
        created.push(target);
      }
      for (const table of db.tables) {
        current = `${target}.${table.name}`;
        await loadShadow(conn, join(opts.backupDir, opts.id), target, table, kind, checkers);
      }
    }
    return created;
  } catch (err) {
    await undoLoad(conn, targets, created);
    throw new TarsDockerError(`restore of ${current || 'backup ' + opts.id} stopped, nothing was replaced: ${errorMessage(err)}`);
  }
}

async function undoLoad(conn: DbConnection, targets: SwapTarget[], created: string[]): Promise<void> {
  await dropShadows(conn, targets, 'incoming');
  for (const name of created) await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
}
