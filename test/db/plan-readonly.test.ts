import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection, type DbConnection } from '../../src/db/connection.js';
import { planMigration, renderPlan } from '../../src/db/migrate/migrate.js';
import { snapshotData } from '../../src/db/backup/verify.js';
import { MYSQL, OLDEST_SCHEMA, createSeeded, dropPrefixed, labSchema, newPrefix, tempDir } from './helpers.js';

/** Everything information_schema says about the prefix's databases, minus statistics the server updates itself. */
async function catalog(conn: DbConnection, prefix: string): Promise<unknown> {
  const like = `${prefix}%`;
  const q = async (sql: string) => (await conn.query<RowDataPacket[]>(sql, [like]))[0];
  return {
    schemata: await q('SELECT * FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY SCHEMA_NAME'),
    tables: await q(`SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, ROW_FORMAT, AUTO_INCREMENT, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT
                       FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE ? ORDER BY 1, 2`),
    columns: await q('SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA LIKE ? ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION'),
    indexes: await q(`SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE
                        FROM information_schema.STATISTICS WHERE TABLE_SCHEMA LIKE ? ORDER BY 1, 2, 3, 5`),
  };
}

describe('migrate plan', () => {
  const prefix = newPrefix('plan');
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { backups = await tempDir('plan'); });
  after(async () => { await dropPrefixed(prefix); await backups.remove(); });

  it('changes nothing: information_schema and every row stay identical, no database or history table appears', async () => {
    const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path);
    const missing = { target: 'db_user_system' as const, live: `${prefix}db_user_system_new` };
    const input = { mysql: MYSQL, databases: [...databases, missing], schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    const state = () => withConnection(MYSQL, async (c) => ({
      catalog: await catalog(c, prefix),
      data: await Promise.all(databases.map((d) => snapshotData(c, d.live))),
    }));
    const beforePlan = await state();
    const backupsBefore = await readdir(backups.path);
    const plan = await planMigration(input);
    assert.deepEqual(await state(), beforePlan);
    assert.deepEqual(await readdir(backups.path), backupsBefore);

    assert.deepEqual(plan.databases.map((d) => [d.live, d.createDatabase, d.steps.length]), [
      [`${prefix}db_tars_web`, false, 6], [`${prefix}db_user_system`, false, 2], [missing.live, true, 8],
    ]);
    const text = renderPlan(plan).join('\n');
    assert.match(text, /ALTER TABLE `[^`]+db_tars_web`\.`t_tars_files` ADD COLUMN `benchmark_context` text CHARACTER SET utf8 NULL AFTER `context`;/);
    assert.match(text, /unsafe t_auth\.flag: varchar\(256\) → varchar\(128\)/);
    assert.doesNotMatch(text, /DROP/);
  });
});
