import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection } from '../../src/db/connection.js';
import { applyMigration, planMigration } from '../../src/db/migrate/migrate.js';
import { checksumTable } from '../../src/db/backup/checksum.js';
import { snapshotData } from '../../src/db/backup/verify.js';
import { MYSQL, OLDEST_SCHEMA, SCHEMA_VERSIONS, createSeeded, dropPrefixed, labSchema, newPrefix, rowCounts, tempDir } from './helpers.js';

const pairs = SCHEMA_VERSIONS.flatMap((from, i) => SCHEMA_VERSIONS.slice(i + 1).map((to) => [from, to] as const));

describe('upgrading seeded databases between every pair of lab versions', { concurrency: 6 }, () => {
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { backups = await tempDir('pairs'); });
  after(async () => { await backups.remove(); });

  for (const [from, to] of pairs) {
    it(`${from} → ${to} loses no row and changes no existing value`, async () => {
      const prefix = newPrefix('pair');
      try {
        const databases = await createSeeded(prefix, from, backups.path);
        const input = { mysql: MYSQL, databases, schemaFiles: await labSchema(to), version: to };
        const beforeData = await withConnection(MYSQL, (c) => Promise.all(databases.map((d) => snapshotData(c, d.live))));
        const result = await applyMigration(input, { backupDir: backups.path });
        assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
        for (const db of result.databases) assert.deepEqual([db.data, db.schema.remainingSteps, db.schema.unexpected], [[], [], []]);
        // Independent of the verifier's verdict: plain row counts, and each old table's checksum over its old columns.
        await withConnection(MYSQL, async (c) => {
          for (const old of beforeData) {
            assert.ok(old.tables.length >= 3, `${old.database} had ${old.tables.length} tables`);
            const counts = await rowCounts(c, old.database);
            for (const t of old.tables) {
              assert.ok(t.rows >= 2000, `${old.database}.${t.table} was seeded (${t.rows} rows)`);
              assert.equal(counts[t.table], t.rows, `${old.database}.${t.table}`);
              const now = await checksumTable(c, old.database, t.table, t.columns);
              assert.equal(now.checksum, t.checksum, `${old.database}.${t.table}: values of the old columns changed`);
            }
          }
        });
        const again = await planMigration(input);
        assert.deepEqual(again.databases.map((d) => d.steps), [[], []], 'a second plan finds nothing left to do');
      } finally {
        await dropPrefixed(prefix);
      }
    });
  }

  it(`${OLDEST_SCHEMA} → v3.0.16 reports the varchar(256) → (128) narrowings and leaves those columns and values alone`, async () => {
    const prefix = newPrefix('narrow');
    try {
      const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path);
      const users = `${prefix}db_user_system`;
      assert.ok(databases.some((d) => d.live === users));
      const longest = () => withConnection(MYSQL, async (c) => {
        const [rows] = await c.query<RowDataPacket[]>(
          `SELECT MAX(CHAR_LENGTH(flag)) AS flag, MAX(CHAR_LENGTH(ticket)) AS ticket, SUM(flag LIKE '%腾讯%') AS zh
             FROM \`${users}\`.t_auth, (SELECT MAX(ticket) AS ticket FROM \`${users}\`.t_login_temp_info WHERE CHAR_LENGTH(ticket) > 128) x`);
        return rows[0];
      });
      const valuesBefore = await longest();
      assert.equal(Number(valuesBefore!.flag), 256);
      const result = await applyMigration({ mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' }, { backupDir: backups.path });
      assert.equal(result.ok, true);
      const usersResult = result.databases.find((d) => d.live === users);
      assert.ok(usersResult, `a result for ${users}`);
      const unsafe = usersResult.plan.findings.filter((f) => f.severity === 'unsafe');
      assert.deepEqual(unsafe.map((f) => `${f.table}.${f.column}`).sort(), ['t_auth.flag', 't_auth.role', 't_auth.uid', 't_user_info.password']);
      assert.ok(unsafe.every((f) => /varchar\(256\) → varchar\(128\): narrows \(1024 → 512 bytes\)/.test(f.reason)));
      // TarsWeb's model keeps these two at varchar(256), whatever its sql file says: not a narrowing to skip, a note
      const web = usersResult.plan.findings.filter((f) => f.severity === 'note' && f.table === 't_login_temp_info');
      assert.deepEqual(web.map((f) => `${f.column}: ${f.reason}`).sort(), ['ticket', 'uid'].map((c) =>
        `${c}: type left to TarsWeb, whose model sync sets varchar(256) at every start of the web (the sql file says varchar(128))`));
      const types = await withConnection(MYSQL, async (c) => {
        const [rows] = await c.query<RowDataPacket[]>(
          "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE) AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND COLUMN_TYPE LIKE 'varchar(256)' ORDER BY 1", [users]);
        return rows.map((r) => String(r.c));
      });
      assert.deepEqual(types, ['t_auth.flag varchar(256)', 't_auth.role varchar(256)', 't_auth.uid varchar(256)',
        't_login_temp_info.ticket varchar(256)', 't_login_temp_info.uid varchar(256)', 't_user_info.password varchar(256)']);
      assert.deepEqual(await longest(), valuesBefore);
    } finally {
      await dropPrefixed(prefix);
    }
  });
});
