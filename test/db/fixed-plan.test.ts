import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection } from '../../src/db/connection.js';
import { applyMigration, planFixedMigration, planMigration, type MigrateInput } from '../../src/db/migrate/migrate.js';
import { MysqlHistory } from '../../src/db/migrate/history.js';
import { MYSQL, OLDEST_SCHEMA, createSeeded, labSchema, tempDir } from './helpers.js';

/** This file's databases: tdmp_ and a per-run random part, dropped at the end. */
const prefix = `tdmp_fixed_${process.pid}_${Math.random().toString(36).slice(2, 7)}_`;

async function dropMine(): Promise<void> {
  await withConnection(MYSQL, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [`${prefix}%`]);
    for (const row of rows) await conn.query(`DROP DATABASE \`${String(row.n)}\``);
  });
}

const historyRows = (live: string) => withConnection(MYSQL, async (c) =>
  Number((await c.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${live}\`.tars_docker_migrations`))[0][0]!.n));

describe('a migration plan fixed ahead of its run', () => {
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { backups = await tempDir('fixed-plan'); });
  after(async () => { await dropMine(); await backups.remove(); });

  it('is refused, nothing applied, when the live schema changed after it was computed', async () => {
    const databases = await createSeeded(`${prefix}a_`, OLDEST_SCHEMA, backups.path, 50);
    const input: MigrateInput = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    const planned = await planFixedMigration(input);
    assert.ok(planned.databases.every((d) => d.steps.length > 0));
    // someone (TarsWeb's own sync, an operator) alters a table between plan and apply
    await withConnection(MYSQL, (c) => c.query(`ALTER TABLE \`${databases[1]!.live}\`.t_auth ADD COLUMN tdmp_extra int NULL`));
    const stateBefore = { plan: await planMigration(input), history: await Promise.all(databases.map((d) => historyRows(d.live))), backups: await readdir(backups.path) };

    await assert.rejects(applyMigration(input, { backupDir: backups.path, planned }),
      { message: new RegExp(`^the schema of ${databases[1]!.live} changed since the migration plan was computed; nothing applied`) });

    const stateAfter = { plan: await planMigration(input), history: await Promise.all(databases.map((d) => historyRows(d.live))), backups: await readdir(backups.path) };
    assert.deepEqual(stateAfter, stateBefore);
  });

  it('is refused, nothing applied, while a run a crash interrupted waits to be finished', async () => {
    const databases = await createSeeded(`${prefix}c_`, OLDEST_SCHEMA, backups.path, 50);
    const input: MigrateInput = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    const planned = await planFixedMigration(input);
    // the history of a run killed before its first statement: recorded, nothing done, the schema as planned
    await withConnection(MYSQL, (c) => new MysqlHistory(c, databases[0]!.live).begin('killed-run', 'v3.0.16', planned.databases[0]!.steps));
    const backupsBefore = await readdir(backups.path);
    await assert.rejects(applyMigration(input, { backupDir: backups.path, planned }),
      { message: new RegExp(`^${databases[0]!.live} has an interrupted migration \\(run killed-run\\) the plan did not count on; nothing applied`) });
    assert.deepEqual((await planMigration(input)).databases.map((d) => d.steps.length), planned.databases.map((d) => d.steps.length));
    assert.deepEqual(await readdir(backups.path), backupsBefore);
  });

  it('applies exactly the planned changes while the schema is the one it was computed against', async () => {
    const databases = await createSeeded(`${prefix}b_`, OLDEST_SCHEMA, backups.path, 50);
    const input: MigrateInput = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    const planned = await planFixedMigration(input);
    const result = await applyMigration(input, { backupDir: backups.path, planned });
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.databases.map((d) => [d.live, d.resumed.length, d.applied.map((r) => [r.step.id, r.step.sql, r.status])]),
      planned.databases.map((d) => [d.live, 0, d.steps.map((s) => [s.id, s.sql, 'applied'])]),
    );
    assert.ok(result.backup, 'backed up before changing');
    // what stays is what the plan said it would skip
    const left = await planMigration(input);
    assert.deepEqual(left.databases.map((d) => d.steps.length), [0, 0]);
    assert.deepEqual(left.databases.map((d) => d.findings.filter((f) => f.severity === 'unsafe')), planned.databases.map((d) => d.findings.filter((f) => f.severity === 'unsafe')));
  });
});
