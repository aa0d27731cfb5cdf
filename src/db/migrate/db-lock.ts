import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { TarsDockerError } from '../../errors.js';
import type { DbConnection } from '../connection.js';

/** Lock names are server-wide and at most 64 characters, so long database names are hashed. */
export function lockName(database: string): string {
  const name = `tars-docker.migrate.${database}`;
  return name.length <= 64 ? name : `tars-docker.migrate.${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/**
 * GET_LOCK per database, taken in name order so two runs over overlapping sets cannot deadlock. The lock belongs
 * to the connection: if the process dies the server frees it, so a crash never leaves a stale lock behind.
 */
export async function acquireLocks(conn: DbConnection, databases: string[], waitSeconds: number): Promise<() => Promise<void>> {
  const taken: string[] = [];
  const release = async () => {
    for (const name of taken.reverse()) await conn.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
  };
  for (const database of [...new Set(databases)].sort()) {
    const name = lockName(database);
    const [rows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [name, waitSeconds]);
    if (Number(rows[0]?.got) !== 1) {
      await release();
      throw new TarsDockerError(
        `database ${database} is being migrated by another run (lock ${name} still held after ${waitSeconds}s); try again when it has finished`,
        undefined,
        { step: 'lock' },
      );
    }
    taken.push(name);
  }
  return release;
}
