import type { MysqlConfig } from '../../config/types.js';
import { openConnection, type DbConnection } from '../connection.js';
import { qualified } from '../schema/ddl-render.js';

/** How long the brief read lock may wait for writers in flight before the backup goes on with one connection. */
const LOCK_WAIT_SECONDS = 5;

/**
 * Starts a consistent-snapshot transaction on every connection such that all of them see the same moment of
 * `tables`: a third connection holds `LOCK TABLES … READ` (so no write to those tables can commit) while the
 * snapshots are taken, then lets go. The lock lasts milliseconds, the time of N `START TRANSACTION`s.
 * Returns false, with every connection untouched, when the lock cannot be had (a long transaction, no LOCK
 * TABLES privilege): the caller then reads everything through one connection and one snapshot.
 */
export async function shareSnapshot(cfg: MysqlConfig, conns: DbConnection[], database: string, tables: string[]): Promise<boolean> {
  if (tables.length === 0) return false;
  const lock = await openConnection(cfg);
  try {
    await lock.query('SET SESSION lock_wait_timeout = ?', [LOCK_WAIT_SECONDS]);
    try {
      await lock.query(`LOCK TABLES ${tables.map((t) => `${qualified(database, t)} READ`).join(', ')}`);
    } catch {
      return false;
    }
    try {
      for (const c of conns) await c.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    } finally {
      await lock.query('UNLOCK TABLES');
    }
    return true;
  } finally {
    await lock.end().catch(() => lock.destroy());
  }
}
