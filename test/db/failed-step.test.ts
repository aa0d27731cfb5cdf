import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { TarsDockerError } from '../../src/errors.js';
import { withConnection } from '../../src/db/connection.js';
import { applyMigration, planMigration } from '../../src/db/migrate/migrate.js';
import type { MigrateEvent } from '../../src/db/migrate/migrate-types.js';
import { MYSQL, OLDEST_SCHEMA, createSeeded, dropPrefixed, labSchema, newPrefix, tempDir } from './helpers.js';

async function outcomes(database: string): Promise<{ step: string; outcome: string; note: string | null }[]> {
  return withConnection(MYSQL, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(`SELECT step_id, outcome, note FROM \`${database}\`.tars_docker_migrations ORDER BY id`);
    return rows.map((r) => ({ step: String(r.step_id), outcome: String(r.outcome), note: r.note == null ? null : String(r.note) }));
  });
}

describe('a migration step the server refused', () => {
  const prefix = newPrefix('failstep');
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { backups = await tempDir('failstep'); });
  after(async () => { await dropPrefixed(prefix); await backups.remove(); });

  it('is recorded as failed with its error, and the next run plans afresh instead of replaying it', async () => {
    const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path, 50);
    const web = databases[0]!.live;
    // A view under the name of a table the upgrade creates: the plan (base tables only) still wants the table,
    // and the server refuses its CREATE TABLE.
    await withConnection(MYSQL, (c) => c.query(`CREATE VIEW \`${web}\`.t_application AS SELECT 1 AS f_id`));
    const input = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    await assert.rejects(applyMigration(input, { backupDir: backups.path }), (err: unknown) =>
      err instanceof TarsDockerError && /^tdm_failstep_\w+_db_tars_web: step "t_application: create table" failed: .*already exists/.test(err.message));
    const failedRun = await outcomes(web);
    const failed = failedRun.find((e) => e.outcome === 'failed');
    assert.equal(failed?.step, 't_application: create table');
    assert.match(failed?.note ?? '', /already exists/);
    const pendingAfterFailure = failedRun.filter((e) => e.outcome === 'pending').map((e) => e.step);
    assert.ok(pendingAfterFailure.length > 0, 'the failure stopped the run before its later steps');

    // The operator replaces the view with the table as the target schema has it.
    await withConnection(MYSQL, async (c) => {
      await c.query(`DROP VIEW \`${web}\`.t_application`);
      await c.query(`CREATE TABLE \`${web}\`.t_application (f_id int NOT NULL AUTO_INCREMENT, f_name varchar(64) NOT NULL DEFAULT '', PRIMARY KEY (f_id)) ENGINE=InnoDB`);
    });
    const plan = await planMigration(input);
    const planned = plan.databases.find((d) => d.live === web)!.steps.map((s) => s.id);
    assert.ok(!planned.includes('t_application: create table'));

    const events: MigrateEvent[] = [];
    const result = await applyMigration(input, { backupDir: backups.path, onEvent: (e) => events.push(e) });
    const discarding = events.find((e) => e.type === 'discarding');
    assert.deepEqual(discarding && { step: discarding.failedStep, steps: discarding.steps }, { step: 't_application: create table', steps: pendingAfterFailure });
    assert.ok(!events.some((e) => e.type === 'resuming'));
    const ran = result.databases.find((d) => d.live === web)!.applied.map((r) => r.step.id);
    assert.deepEqual(ran, planned, 'exactly the fresh plan ran');
    const after = await outcomes(web);
    assert.deepEqual(after.slice(0, failedRun.length).map((e) => e.outcome),
      failedRun.map((e) => (e.outcome === 'pending' ? 'abandoned' : e.outcome)), 'the failed run keeps its failed step');
    assert.ok(after.slice(failedRun.length).every((e) => e.outcome === 'done'));

    const again = await applyMigration(input, { backupDir: backups.path });
    assert.equal(again.ok, true);
    assert.equal(again.backup, undefined, 'nothing left to do, so no backup either');
  });
});
