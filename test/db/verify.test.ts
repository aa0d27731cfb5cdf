import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withConnection } from '../../src/db/connection.js';
import { applyMigration, verifyMigration } from '../../src/db/migrate/migrate.js';
import { MYSQL, OLDEST_SCHEMA, createSeeded, dropPrefixed, labSchema, newPrefix, tempDir } from './helpers.js';

describe('migrate verify', () => {
  const prefix = newPrefix('verify');
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { backups = await tempDir('verify'); });
  after(async () => { await dropPrefixed(prefix); await backups.remove(); });

  it('reports the target reached, lists the kept differences, and catches a changed row against the backup', async () => {
    const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path);
    const input = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.14'), version: 'v3.0.14' };
    const notYet = await verifyMigration(input, { backupDir: backups.path });
    assert.equal(notYet.ok, false);
    assert.equal(notYet.databases[0]!.remainingSteps.length, 6);

    const applied = await applyMigration(input, { backupDir: backups.path });
    const verified = await verifyMigration(input, { backupDir: backups.path });
    assert.equal(verified.ok, true);
    assert.deepEqual(verified.databases.map((d) => [d.backupId, d.data]), [[applied.backup!.id, []], [applied.backup!.id, []]]);
    // the four varchar(256) → (128) narrowings of db_user_system.sql; t_login_temp_info's two are TarsWeb's model's
    assert.deepEqual(verified.databases[1]!.findings.filter((f) => f.severity === 'unsafe').length, 4);
    assert.deepEqual(verified.databases[0]!.findings.map((f) => `${f.severity} ${f.table}`), ['kept t_kafka_queue']);

    await withConnection(MYSQL, (c) => c.query(`UPDATE \`${databases[0]!.live}\`.t_patch_task SET server = '改' LIMIT 1`));
    const changed = await verifyMigration(input, { backupDir: backups.path });
    assert.equal(changed.ok, false);
    assert.deepEqual(changed.databases[0]!.data, [{ table: 't_patch_task', reason: 'checksum of the backed-up columns changed' }]);
  });
});
