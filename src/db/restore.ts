import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../config/types.js';
import { InputError, TarsDockerError } from '../errors.js';
import { readManifest, type BackupManifest } from './backup-manifest.js';
import { readInsertLines } from './backup-read.js';
import { checksumTable } from './checksum.js';
import { quoteIdent } from './column-type.js';
import { openConnection, type DbConnection } from './connection.js';
import { qualified } from './ddl-render.js';
import { dataSession } from './session.js';

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

/** Recreates each table from its backed-up definition, reloads the rows, and proves rows and checksums match. */
export async function restoreBackup(cfg: MysqlConfig, opts: RestoreOptions): Promise<RestoredTable[]> {
  const manifest = await readManifest(opts.backupDir, opts.id);
  const chosen = selectDatabases(manifest, opts.databases);
  const conn = await openConnection(cfg);
  try {
    await dataSession(conn);
    await conn.query('SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0');
    await refuseOverwrite(conn, chosen, opts);
    const restored: RestoredTable[] = [];
    for (const db of chosen) {
      const target = opts.rename?.[db.name] ?? db.name;
      if (!/^\w+$/.test(db.charset) || !/^\w+$/.test(db.collation)) throw new InputError(`backup ${opts.id}: bad charset for ${db.name}`);
      await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(target)} CHARACTER SET ${db.charset} COLLATE ${db.collation}`);
      await conn.query(`USE ${quoteIdent(target)}`);
      for (const table of db.tables) {
        await conn.query(`DROP TABLE IF EXISTS ${qualified(target, table.name)}`);
        await conn.query(table.createSql);
        for await (const line of readInsertLines(join(opts.backupDir, opts.id), table)) await conn.query(line);
        const sum = await checksumTable(conn, target, table.name, table.columns);
        if (sum.rows !== table.rows || sum.checksum !== table.checksum) {
          throw new TarsDockerError(`restore of ${target}.${table.name} does not match the backup (${sum.rows} rows, expected ${table.rows})`);
        }
        restored.push({ database: target, table: table.name, rows: sum.rows, checksum: sum.checksum });
      }
    }
    return restored;
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

function selectDatabases(manifest: BackupManifest, names: string[] | undefined) {
  if (!names) return manifest.databases;
  return names.map((name) => {
    const db = manifest.databases.find((d) => d.name === name);
    if (!db) throw new InputError(`backup ${manifest.id} has no database ${name}`);
    return db;
  });
}

/** Checked for every table before the first write, so a refusal leaves everything as it was. */
async function refuseOverwrite(conn: DbConnection, dbs: BackupManifest['databases'], opts: RestoreOptions): Promise<void> {
  if (opts.force) return;
  const occupied: string[] = [];
  for (const db of dbs) {
    const target = opts.rename?.[db.name] ?? db.name;
    for (const table of db.tables) {
      const [exists] = await conn.query<RowDataPacket[]>(
        'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?', [target, table.name]);
      if (exists.length === 0) continue;
      const [rows] = await conn.query<RowDataPacket[]>(`SELECT 1 FROM ${qualified(target, table.name)} LIMIT 1`);
      if (rows.length > 0) occupied.push(`${target}.${table.name}`);
    }
  }
  if (occupied.length > 0) {
    throw new InputError(`restore would overwrite tables that hold rows: ${occupied.join(', ')}; pass --force to replace them`);
  }
}
