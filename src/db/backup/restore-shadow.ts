import { createHash } from 'node:crypto';
import type { BackupTable } from './backup-manifest.js';
import { readInsertLines } from './backup-read.js';
import { checksumInParts, type ChecksumKind } from './checksum.js';
import { quoteIdent } from '../sql/column-type.js';
import type { DbConnection } from '../connection.js';
import { qualified } from '../schema/ddl-render.js';
import { runOnFree } from './statement-pool.js';

/** Tables of this prefix are restore's own: loaded copies waiting to be swapped in, or the replaced originals. */
export const SHADOW_PREFIX = '__tdr_';

export interface ShadowNames {
  /** The table as it will be after the swap. */
  live: string;
  /** Where the backup's rows are loaded and checked before anyone sees them. */
  incoming: string;
  /** Where the replaced table goes during the swap, dropped once the swap is done. */
  replaced: string;
}

/** Names stay within MySQL's 64 characters whatever the table's own name is. */
export function shadowNames(table: string): ShadowNames {
  const tag = createHash('sha1').update(table).digest('hex').slice(0, 12);
  return { live: table, incoming: `${SHADOW_PREFIX}new_${tag}`, replaced: `${SHADOW_PREFIX}old_${tag}` };
}

/** The backed-up CREATE TABLE, aimed at another name; anything but SHOW CREATE TABLE's own shape is refused. */
function createAs(table: BackupTable, database: string, name: string): string {
  const head = `CREATE TABLE ${quoteIdent(table.name)} (`;
  if (!table.createSql.startsWith(head)) throw new Error(`its definition in the manifest is not a CREATE TABLE of ${table.name}`);
  return `CREATE TABLE ${qualified(database, name)} (${table.createSql.slice(head.length)}`;
}

const PRIMARY_KEY = /\n\s*PRIMARY KEY \(/;

/**
 * Loads one table of a backup into an incoming copy beside the live table and proves rows and checksum equal the
 * manifest's. `checkers` (the first connection and any others of the same session settings) share the loading and
 * sum the checksum in key ranges. The live table is never read or written here; a failure says why, and the caller
 * drops the copy.
 */
export async function loadShadow(
  conn: DbConnection, backupPath: string, database: string, table: BackupTable, kind: ChecksumKind, checkers: DbConnection[] = [conn],
): Promise<void> {
  const names = shadowNames(table.name);
  await conn.query(`DROP TABLE IF EXISTS ${qualified(database, names.incoming)}`);
  await conn.query(createAs(table, database, names.incoming));
  const from = Buffer.from(`INSERT INTO ${quoteIdent(table.name)} VALUES `);
  const to = `INSERT INTO ${qualified(database, names.incoming)} VALUES `;
  async function* statements(): AsyncGenerator<string> {
    for await (const line of readInsertLines(backupPath, table)) {
      if (line.compare(from, 0, from.length, 0, Math.min(from.length, line.length)) !== 0) {
        throw new Error(`the file holds a statement that is not an INSERT into ${table.name}`);
      }
      yield to + line.toString('utf8', from.length);
    }
  }
  // Loaded in any order by several connections only where a primary key decides where each row goes; a table
  // without one keeps the order of its rows, on one connection.
  await runOnFree(PRIMARY_KEY.test(table.createSql) ? checkers : [conn], statements());
  const sum = await checksumInParts(checkers, database, names.incoming, table.columns, kind);
  if (sum.rows !== table.rows) throw new Error(`${sum.rows} rows loaded, the manifest says ${table.rows}`);
  if (sum.checksum !== table.checksum) throw new Error('the loaded rows do not match the checksum in the manifest');
}

export interface SwapTarget {
  database: string;
  table: string;
  /** Whether a live table of that name exists and is moved aside. */
  replaces: boolean;
}

/** One RENAME TABLE for every table: the server applies it atomically, so readers see all old or all new. */
export async function swapIn(conn: DbConnection, targets: SwapTarget[]): Promise<void> {
  const moves = targets.flatMap(({ database, table, replaces }) => {
    const n = shadowNames(table);
    return [
      ...(replaces ? [`${qualified(database, n.live)} TO ${qualified(database, n.replaced)}`] : []),
      `${qualified(database, n.incoming)} TO ${qualified(database, n.live)}`,
    ];
  });
  await conn.query(`RENAME TABLE ${moves.join(', ')}`);
}

export async function dropShadows(conn: DbConnection, targets: SwapTarget[], which: 'incoming' | 'replaced'): Promise<void> {
  for (const t of targets) await conn.query(`DROP TABLE IF EXISTS ${qualified(t.database, shadowNames(t.table)[which])}`);
}
