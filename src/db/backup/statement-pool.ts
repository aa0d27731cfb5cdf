import { serverErrno, type DbConnection } from '../connection.js';

/** ER_LOCK_DEADLOCK: InnoDB rolled the statement back whole (each runs in its own transaction), so it can run again. */
const DEADLOCK = 1213;
/** Two loaders of one table can deadlock on a unique index's gap locks; a few tries always get through. */
const DEADLOCK_TRIES = 5;

async function runRetryingDeadlocks(conn: DbConnection, sql: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await conn.query(sql);
      return;
    } catch (err) {
      if (serverErrno(err) !== DEADLOCK || attempt === DEADLOCK_TRIES) throw err;
    }
  }
}

/**
 * Runs each statement on whichever connection is free, at most one per connection at a time, and waits for all.
 * The server parses and applies a multi-row INSERT on one thread, so two connections load one table on two cores.
 * Each statement must be its own transaction (autocommit), which is what makes a deadlocked one safe to run again.
 * The first failure stops the reading of further statements and is thrown once every running one has settled.
 */
export async function runOnFree(conns: DbConnection[], statements: AsyncIterable<string>): Promise<void> {
  const running = new Map<DbConnection, Promise<void>>();
  let failure: { err: unknown } | undefined;
  try {
    for await (const sql of statements) {
      if (running.size === conns.length) await Promise.race(running.values());
      if (failure) break;
      const conn = conns.find((c) => !running.has(c))!;
      running.set(conn, runRetryingDeadlocks(conn, sql).then(
        () => { running.delete(conn); },
        (err: unknown) => { running.delete(conn); failure ??= { err }; },
      ));
    }
  } finally {
    // Also when reading failed: the caller drops the table these statements write, so none may still be running.
    await Promise.all(running.values());
  }
  if (failure) throw failure.err;
}
