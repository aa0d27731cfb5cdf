import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DbConnection } from '../../src/db/connection.js';
import { alterOnline } from '../../src/db/migrate/online-ddl.js';

/** A connection that answers each statement by the first rule whose pattern it matches; records what it got. */
function scripted(rules: [RegExp, { errno: number; message: string } | null][]): { conn: DbConnection; sent: string[] } {
  const sent: string[] = [];
  const conn = {
    query: async (sql: string) => {
      sent.push(sql);
      const rule = rules.find(([pattern]) => pattern.test(sql));
      if (rule?.[1]) throw Object.assign(new Error(rule[1].message), { errno: rule[1].errno });
      return [[], []];
    },
  } as unknown as DbConnection;
  return { conn, sent };
}

const SQL = 'ALTER TABLE `d`.`t` ADD COLUMN `b` text NULL AFTER `a`';

it('MySQL 5.6/5.7 do not know ALGORITHM=INSTANT (1800): INPLACE with LOCK=NONE, and the refusal is kept', async () => {
  const { conn, sent } = scripted([[/INSTANT/, { errno: 1800, message: "Unknown ALGORITHM 'INSTANT'" }]]);
  assert.deepEqual(await alterOnline(conn, SQL), { algorithm: 'INPLACE', fallbacks: ["INSTANT refused: Unknown ALGORITHM 'INSTANT'"] });
  assert.deepEqual(sent, [`${SQL}, ALGORITHM=INSTANT`, `${SQL}, ALGORITHM=INPLACE, LOCK=NONE`]);
});

it('an error that is not a refusal (1709: key too long) is the statement\'s own and stops at once', async () => {
  const { conn, sent } = scripted([[/./, { errno: 1709, message: 'Index column size too large. The maximum column size is 767 bytes' }]]);
  await assert.rejects(alterOnline(conn, SQL), /767 bytes/);
  assert.equal(sent.length, 1);
});
