import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection } from '../../src/db/connection.js';
import { runCli } from '../support/cli.js';
import { startPrivateMariadb, type PrivateMariadb } from '../support/private-mariadb.js';
import { SQL_ROOT, createSeeded, tempDir } from './helpers.js';
import { writeOfflineInventory } from '../support/offline-inventory.js';

// Needs dist/ built (node scripts/build.js), like every test that runs bin/tars-docker.
describe('tars-docker migrate on a COMPACT-default server, through the CLI, with the real database names', () => {
  let server: PrivateMariadb | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let args: string[];
  before(async () => {
    dir = await tempDir('rowfmtcli');
    server = await startPrivateMariadb(['--innodb-default-row-format=compact']);
    // Its own server, so TarsWeb's own names are safe to use.
    await createSeeded('', 'v2.4.22', dir.path, 500, server.mysql);
    const env = join(dir.path, '.env');
    const inventory = writeOfflineInventory(dir.path, join(dir.path, 'tars-docker.yml'));
    await writeFile(env, `MYSQL_HOST=127.0.0.1\nMYSQL_PORT=${server.mysql.port}\nMYSQL_USER=root\nMYSQL_ROOT_PASSWORD=\nREBUILD=false\n`);
    args = ['--env-file', env, '--inventory', inventory];
  });
  after(async () => {
    await server?.stop();
    await dir.remove();
  });

  it('plan prints the row format step and why; apply rebuilds t_token DYNAMIC and verifies', async () => {
    const schema = ['--schema-dir', join(SQL_ROOT, 'v3.0.6'), '--backup-dir', join(dir.path, 'backups')];
    const plan = await runCli([...args, 'migrate', 'plan', '--to', 'v3.0.6', ...schema]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /1\. ALTER TABLE `db_user_system`\.`t_token` ROW_FORMAT=DYNAMIC;/);
    assert.match(plan.stdout, /2\. ALTER TABLE `db_user_system`\.`t_token` MODIFY COLUMN `token` varchar\(255\)/);
    assert.match(plan.stdout, /note +t_token: row format COMPACT → DYNAMIC first: index token would need 1020 bytes for token, over the 767-byte key part limit of COMPACT rows/);
    const apply = await runCli([...args, 'migrate', 'apply', '--to', 'v3.0.6', ...schema]);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, /verified: rows and checksums unchanged, schema at target/);
    const formats = await withConnection(server!.mysql, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>("SELECT ROW_FORMAT AS f FROM information_schema.TABLES WHERE TABLE_SCHEMA='db_user_system' AND TABLE_NAME='t_token'");
      return rows.map((r) => String(r.f));
    });
    assert.deepEqual(formats, ['Dynamic']);
  });
});
