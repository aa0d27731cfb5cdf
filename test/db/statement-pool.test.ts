import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { openConnection, withConnection } from '../../src/db/connection.js';
import { runOnFree } from '../../src/db/backup/statement-pool.js';
import { MYSQL, dropPrefixed, newPrefix } from './helpers.js';

async function* once(sql: string): AsyncGenerator<string> {
  yield sql;
}

describe('restore statements on several connections', () => {
  const prefix = newPrefix('pool');
  const t = `\`${prefix}db\`.t`;
  before(async () => {
    await withConnection(MYSQL, async (c) => {
      await c.query(`CREATE DATABASE \`${prefix}db\``);
      await c.query(`CREATE TABLE ${t} (id int PRIMARY KEY, v int NOT NULL) ENGINE=InnoDB`);
      await c.query(`INSERT INTO ${t} SELECT seq, 0 FROM \`${prefix}db\`.seq_1_to_200`);
    });
  });
  after(() => dropPrefixed(prefix));

  it('run a statement the server chose as a deadlock victim again, and it lands once', async () => {
    const other = await openConnection(MYSQL);
    const loader = await openConnection(MYSQL);
    try {
      // The other transaction holds row 1 and has written many rows, so InnoDB picks the loader's one-row
      // statement as the victim when the two close a circle.
      await other.query('START TRANSACTION');
      await other.query(`UPDATE ${t} SET v = v + 1 WHERE id = 1 OR id > 100`);
      const [[{ id: loaderThread }]] = await loader.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      const run = runOnFree([loader], once(`UPDATE ${t} SET v = v + 10 WHERE id IN (2, 1) ORDER BY id DESC`));
      // The loader holds row 2 and waits for row 1: only then can the other close the circle on row 2.
      for (;;) {
        const [waiting] = await other.query<RowDataPacket[]>(
          "SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'", [loaderThread]);
        if (waiting.length > 0) break;
        // INNODB_TRX is a cache the server refills only when it was last read over 100 ms ago: polled faster, it
        // would never show the wait.
        await delay(150);
      }
      await other.query(`UPDATE ${t} SET v = v + 1 WHERE id = 2`);
      await other.query('COMMIT');
      await run;
      const [rows] = await other.query<RowDataPacket[]>(`SELECT id, v FROM ${t} WHERE id IN (1, 2) ORDER BY id`);
      assert.deepEqual(rows.map((r) => [r.id, r.v]), [[1, 11], [2, 11]]);
    } finally {
      await other.end();
      await loader.end();
    }
  });
});
