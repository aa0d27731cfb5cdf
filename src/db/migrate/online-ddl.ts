import type { DbConnection } from '../connection.js';
import { serverErrno } from '../connection.js';

export type Algorithm = 'INSTANT' | 'INPLACE' | 'DEFAULT';

export interface OnlineResult {
  algorithm: Algorithm;
  /** Why faster algorithms were not used, in the server's words; empty when the first one worked. */
  fallbacks: string[];
}

/** ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON) and ER_UNKNOWN_ALTER_ALGORITHM (MySQL 5.7 has no INSTANT). */
const REFUSED = new Set([1845, 1846, 1800]);

const ATTEMPTS: { algorithm: Algorithm; clause: string }[] = [
  { algorithm: 'INSTANT', clause: ', ALGORITHM=INSTANT' },
  { algorithm: 'INPLACE', clause: ', ALGORITHM=INPLACE, LOCK=NONE' },
  { algorithm: 'DEFAULT', clause: '' },
];

/**
 * Runs an ALTER with the least blocking algorithm the server accepts. A refusal is cheap (the server checks
 * before touching the table), so trying in order costs nothing; any other error is the statement's own.
 */
export async function alterOnline(conn: DbConnection, sql: string): Promise<OnlineResult> {
  const fallbacks: string[] = [];
  for (const attempt of ATTEMPTS) {
    try {
      await conn.query(sql + attempt.clause);
      return { algorithm: attempt.algorithm, fallbacks };
    } catch (err) {
      const errno = serverErrno(err);
      if (attempt.algorithm === 'DEFAULT' || errno === undefined || !REFUSED.has(errno)) throw err;
      fallbacks.push(`${attempt.algorithm} refused: ${(err as Error).message}`);
    }
  }
  throw new Error('unreachable');
}
