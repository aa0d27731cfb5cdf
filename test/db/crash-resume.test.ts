import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { InputError } from '../../src/errors.js';
import { withConnection } from '../../src/db/connection.js';
import { applyMigration, planMigration, type DatabaseRef } from '../../src/db/migrate/migrate.js';
import { MYSQL, OLDEST_SCHEMA, SQL_ROOT, createSeeded, dropPrefixed, labSchema, newPrefix, refsFor, tempDir } from './helpers.js';

const CHILD = new URL('./fixtures/apply-child.ts', import.meta.url).pathname;

function runChild(args: object): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

async function history(database: string): Promise<{ step: string; outcome: string; note: string | null }[]> {
  return withConnection(MYSQL, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(`SELECT step_id, outcome, note FROM \`${database}\`.tars_docker_migrations ORDER BY id`);
    return rows.map((r) => ({ step: String(r.step_id), outcome: String(r.outcome), note: r.note == null ? null : String(r.note) }));
  });
}

describe('a run killed with SIGKILL between two statements', () => {
  let backups: Awaited<ReturnType<typeof tempDir>>;
  const prefixes: string[] = [];
  before(async () => { backups = await tempDir('crash'); });
  after(async () => { for (const p of prefixes) await dropPrefixed(p); await backups.remove(); });

  it('is finished by a rerun, with the seed rows of a table created just before the kill inserted exactly once', async () => {
    const prefix = newPrefix('crash');
    prefixes.push(prefix);
    const databases: DatabaseRef[] = refsFor(prefix);
    const signal = await runChild({
      mysql: MYSQL, databases, schemaDir: join(SQL_ROOT, 'v3.0.16'), version: 'v3.0.16', backupDir: backups.path,
      killOn: { type: 'step-finished', stepId: 't_auth: create table' },
    });
    assert.equal(signal, 'SIGKILL');
    const users = databases[1]!.live;
    assert.deepEqual((await history(users)).map((h) => h.outcome), ['done', 'done', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending']);

    // Another target must not silently take over a half-finished run.
    const other = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.6'), version: 'v3.0.6' };
    await assert.rejects(applyMigration(other, { backupDir: backups.path }), (err: unknown) =>
      err instanceof InputError && /has an unfinished migration to v3\.0\.16 \(run [0-9a-f-]+\); finish it with that version first/.test(err.message));

    const input = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    const result = await applyMigration(input, { backupDir: backups.path, lockWaitSeconds: 5 });
    assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
    const rerun = result.databases[1]!;
    assert.deepEqual(rerun.resumed.map((r) => r.status), ['already-done', 'already-done', 'applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    assert.deepEqual(rerun.applied, []);
    const h = await history(users);
    assert.ok(h.every((e) => e.outcome === 'done'), JSON.stringify(h));
    assert.equal(new Set(h.map((e) => e.step)).size, h.length, 'every step recorded once');
    const admins = await withConnection(MYSQL, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(`SELECT (SELECT COUNT(*) FROM \`${users}\`.t_auth) AS auth, (SELECT COUNT(*) FROM \`${users}\`.t_user_info) AS usr`);
      return rows[0];
    });
    assert.deepEqual({ auth: Number(admins!.auth), usr: Number(admins!.usr) }, { auth: 1, usr: 1 });
  });

  it('recognises a DDL the server applied just before the kill instead of running it again', async () => {
    const prefix = newPrefix('crashddl');
    prefixes.push(prefix);
    const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path);
    const web = databases[0]!.live;
    const signal = await runChild({
      mysql: MYSQL, databases, schemaDir: join(SQL_ROOT, 'v3.0.16'), version: 'v3.0.16', backupDir: backups.path,
      killOn: { type: 'step-started', stepId: 't_tars_files: add column benchmark_context' },
    });
    assert.equal(signal, 'SIGKILL');
    const before = (await history(web)).slice(4);
    assert.deepEqual(before.slice(0, 4).map((e) => `${e.step}:${e.outcome}`), [
      't_application: create table:done', 't_bm_case: create table:done',
      't_tars_files: widen context (text → mediumtext):done', 't_tars_files: add column benchmark_context:running',
    ]);
    // The kill came after the history said "running": let the statement have reached the server, as it may.
    const pending = (await planMigration({ mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' }))
      .databases[0]!.steps.find((s) => s.id === 't_tars_files: add column benchmark_context')!;
    await withConnection(MYSQL, (c) => c.query(pending.sql));

    const result = await applyMigration({ mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' }, { backupDir: backups.path });
    assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
    assert.deepEqual(result.databases[0]!.resumed.map((r) => r.status),
      ['already-done', 'already-done', 'already-done', 'recovered', 'applied', 'applied']);
    const after = (await history(web)).slice(4);
    assert.match(after[3]!.note ?? '', /applied it before the run was interrupted/);
    assert.ok(after.every((e) => e.outcome === 'done'));
  });
});
