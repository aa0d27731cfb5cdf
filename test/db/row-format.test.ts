import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection, type DbConnection } from '../../src/db/connection.js';
import { applyMigration, planMigration, renderPlan, type MigrateInput } from '../../src/db/migrate/migrate.js';
import { startPrivateMariadb, type PrivateMariadb } from '../support/private-mariadb.js';
import { MYSQL, createSeeded, dropPrefixed, labSchema, newPrefix, tempDir } from './helpers.js';

const ROWS = 3000;
// The t_token case of TarsWeb 2.4.24 on a table an old MySQL made COMPACT: an indexed utf8mb4 varchar(128)
// (512 bytes) widened to varchar(255) (1020 bytes, over COMPACT's 767). `note` is utf8, where 255 characters are
// 765 bytes and still fit, so widening it needs no new row format.
const LIVE = (db: string) => `CREATE TABLE \`${db}\`.t_token (
  id int unsigned NOT NULL AUTO_INCREMENT,
  token varchar(128) CHARACTER SET utf8mb4 NULL,
  note varchar(128) CHARACTER SET utf8 NULL,
  PRIMARY KEY (id), KEY token (token), KEY note (note)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=COMPACT`;
const TARGET = `CREATE TABLE t_token (
  id int unsigned NOT NULL AUTO_INCREMENT,
  token varchar(255) CHARACTER SET utf8mb4 NULL,
  note varchar(255) CHARACTER SET utf8 NULL,
  PRIMARY KEY (id), KEY token (token), KEY note (note)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;`;

async function fingerprint(conn: DbConnection, db: string): Promise<{ rows: number; md5: string }> {
  await conn.query('SET SESSION group_concat_max_len = 1 << 30');
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n, MD5(GROUP_CONCAT(id, 0x1f, IFNULL(HEX(token), '-'), 0x1f, IFNULL(HEX(note), '-') ORDER BY id SEPARATOR 0x1e)) AS m
       FROM \`${db}\`.t_token`);
  return { rows: Number(rows[0]!.n), md5: String(rows[0]!.m) };
}

async function tableState(conn: DbConnection, db: string): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT CONCAT(t.ROW_FORMAT, ' ', c.COLUMN_NAME, ' ', c.COLUMN_TYPE) AS s FROM information_schema.TABLES t
       JOIN information_schema.COLUMNS c USING (TABLE_SCHEMA, TABLE_NAME)
      WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = 't_token' AND c.COLUMN_NAME IN ('token', 'note') ORDER BY c.COLUMN_NAME`, [db]);
  return rows.map((r) => String(r.s));
}

describe('widening an indexed varchar past 767 bytes on a COMPACT table (machine MariaDB)', () => {
  const prefix = newPrefix('rowfmt');
  const db = `${prefix}db_user_system`;
  let backups: Awaited<ReturnType<typeof tempDir>>;
  const input: MigrateInput = {
    mysql: MYSQL, databases: [{ target: 'db_user_system', live: db }],
    schemaFiles: { db_user_system: { file: 'target/db_user_system.sql', text: TARGET } }, version: 'rowfmt-1',
  };

  before(async () => {
    backups = await tempDir('rowfmt');
    await withConnection(MYSQL, async (c) => {
      await c.query(`CREATE DATABASE \`${db}\` DEFAULT CHARACTER SET utf8mb4`);
      await c.query(LIVE(db));
      const values = Array.from({ length: ROWS }, (_, i) => [`${i}-令牌-😀-${'x'.repeat(i % 120)}`.slice(0, 128), i % 9 === 0 ? null : `备注 ${i}`]);
      await c.query(`INSERT INTO \`${db}\`.t_token (token, note) VALUES ?`, [values]);
    });
  });
  after(async () => { await dropPrefixed(prefix); await backups.remove(); });

  it('the widening alone is what the server refuses half way (the reason for the plan below)', async () => {
    await withConnection(MYSQL, async (c) => {
      await c.query(`CREATE TABLE \`${db}\`.probe LIKE \`${db}\`.t_token`);
      try {
        await assert.rejects(c.query(`ALTER TABLE \`${db}\`.probe MODIFY COLUMN token varchar(255) CHARACTER SET utf8mb4 NULL`),
          /max(imum)? (column size|key length) is 767 bytes/i);
      } finally {
        await c.query(`DROP TABLE \`${db}\`.probe`);
      }
    });
  });

  it('plan: ROW_FORMAT=DYNAMIC first, then both widenings, and the reason as a note', async () => {
    const plan = await planMigration(input);
    const steps = plan.databases[0]!.steps;
    assert.deepEqual(steps.map((s) => s.id), [
      't_token: row format COMPACT → DYNAMIC (index token needs 1020 bytes)',
      't_token: widen token (varchar(128) → varchar(255) (512 → 1020 bytes))',
      't_token: widen note (varchar(128) → varchar(255) (384 → 765 bytes))',
    ]);
    const text = renderPlan(plan).join('\n');
    assert.match(text, new RegExp(`1\\. ALTER TABLE \`${db}\`\\.\`t_token\` ROW_FORMAT=DYNAMIC;`));
    assert.match(text, /note +t_token: row format COMPACT → DYNAMIC first: index token would need 1020 bytes for token, over the 767-byte key part limit of COMPACT rows/);
  });

  it('apply succeeds, rows and checksums are unchanged, the table is DYNAMIC, the history says how', async () => {
    const before = await withConnection(MYSQL, (c) => fingerprint(c, db));
    assert.deepEqual(await withConnection(MYSQL, (c) => tableState(c, db)), ['Compact note varchar(128)', 'Compact token varchar(128)']);
    const result = await applyMigration(input, { backupDir: backups.path });
    assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
    assert.deepEqual(result.databases[0]!.data, []);
    await withConnection(MYSQL, async (c) => {
      assert.deepEqual(await fingerprint(c, db), before);
      assert.equal(before.rows, ROWS);
      assert.deepEqual(await tableState(c, db), ['Dynamic note varchar(255)', 'Dynamic token varchar(255)']);
      const [history] = await c.query<RowDataPacket[]>(`SELECT step_id, outcome, algorithm FROM \`${db}\`.tars_docker_migrations ORDER BY seq`);
      const [first] = history;
      // A row format change rebuilds the table: never INSTANT, but online.
      assert.deepEqual([first!.step_id, first!.outcome, first!.algorithm], ['t_token: row format COMPACT → DYNAMIC (index token needs 1020 bytes)', 'done', 'INPLACE']);
      assert.ok(history.every((h) => h.outcome === 'done'), JSON.stringify(history));
    });
    const again = await planMigration(input);
    assert.deepEqual([again.databases[0]!.steps, again.databases[0]!.findings], [[], []]);
  });
});

describe('images v2.4.22 → v3.0.6 on a server whose tables default to COMPACT, as MySQL 5.6 makes them', () => {
  let server: PrivateMariadb | undefined;
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    backups = await tempDir('rowfmt56');
    server = await startPrivateMariadb(['--innodb-default-row-format=compact']);
  });
  after(async () => {
    await server?.stop();
    await backups.remove();
  });

  const rowFormats = (db: string) => withConnection(server!.mysql, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      "SELECT CONCAT(TABLE_NAME, ' ', ROW_FORMAT) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> 'tars_docker_migrations' ORDER BY 1", [db]);
    return rows.map((r) => String(r.t));
  });

  it('rebuilds only t_token DYNAMIC, then widens token to 255 characters, keeping every row', async () => {
    const prefix = newPrefix('rowfmt56');
    const databases = await createSeeded(prefix, 'v2.4.22', backups.path, 1000, server!.mysql);
    const users = databases[1]!.live;
    assert.deepEqual(await rowFormats(users), ['t_auth Compact', 't_login_temp_info Compact', 't_setting Compact', 't_token Compact', 't_user_info Compact']);
    const input: MigrateInput = { mysql: server!.mysql, databases, schemaFiles: await labSchema('v3.0.6'), version: 'v3.0.6' };
    const plan = await planMigration(input);
    assert.deepEqual(plan.databases.map((d) => d.steps.map((s) => s.id)), [[], [
      't_token: row format COMPACT → DYNAMIC (index token needs 1020 bytes)',
      't_token: widen token (varchar(128) → varchar(255) (512 → 1020 bytes))',
    ]]);
    const result = await applyMigration(input, { backupDir: backups.path });
    assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
    assert.deepEqual(result.databases.map((d) => d.data), [[], []]);
    assert.deepEqual(await rowFormats(users), ['t_auth Compact', 't_login_temp_info Compact', 't_setting Compact', 't_token Dynamic', 't_user_info Compact']);
  });
});
