// Online DDL on a real MariaDB: which algorithm the server ran each ALTER with (its own counter and the column it
// created, beside what the history recorded), and an ALTER the server gives up on. A server with INSTANT turned
// off is test/db/no-instant.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../../src/config/types.js';
import { TarsDockerError } from '../../src/errors.js';
import { applyMigration } from '../../src/db/migrate/migrate.js';
import { labSchema, MYSQL, newPrefix, dropPrefixed, tempDir, createSeeded, OLDEST_SCHEMA } from './helpers.js';

interface Recorded {
  step: string;
  outcome: string;
  algorithm: string | null;
  note: string | null;
}

async function query<T>(server: MysqlConfig, sql: string, args: unknown[] = []): Promise<T[]> {
  const conn = await mysql.createConnection({ ...server, multipleStatements: false });
  try {
    return (await conn.query(sql, args))[0] as T[];
  } finally {
    await conn.end();
  }
}

const recorded = (server: MysqlConfig, db: string) =>
  query<Recorded>(server, `SELECT step_id AS step, outcome, algorithm, note FROM \`${db}\`.tars_docker_migrations ORDER BY id`);

const instantCount = async (server: MysqlConfig) =>
  Number((await query<{ Value: string }>(server, `SHOW GLOBAL STATUS LIKE 'Innodb_instant_alter_column'`))[0]!.Value);

/** Upgrades seeded web databases of the oldest lab schema to v3.0.16 on `server`; returns what each database's history holds. */
async function upgradeOn(server: MysqlConfig, prefix: string, backups: string): Promise<Record<string, Recorded[]>> {
  const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups, 50);
  const result = await applyMigration({ mysql: server, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' }, { backupDir: backups });
  assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
  const out: Record<string, Recorded[]> = {};
  for (const d of databases) out[d.target] = (await recorded(server, d.live)).filter((r) => r.step.includes(': add column') || r.step.includes(': add index') || r.step.includes(': widen'));
  return out;
}

const columnExists = async (server: MysqlConfig, db: string, table: string, column: string) =>
  (await query(server, 'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? AND COLUMN_NAME=?', [db, table, column])).length === 1;

describe('online DDL on MariaDB', () => {
  let backups: Awaited<ReturnType<typeof tempDir>>;
  const prefixes: string[] = [];
  before(async () => { backups = await tempDir('online'); });
  after(async () => {
    for (const p of prefixes) await dropPrefixed(p);
    await backups.remove();
  });

  it('adds columns with ALGORITHM=INSTANT (the server counts them), and records why a slower algorithm was used', async () => {
    const prefix = newPrefix('instant');
    prefixes.push(prefix);
    const before = await instantCount(MYSQL);
    const steps = await upgradeOn(MYSQL, prefix, backups.path);
    const all = Object.values(steps).flat();
    const added = all.filter((r) => r.step.includes(': add column'));
    assert.ok(added.length > 0, 'the upgrade adds columns');
    assert.deepEqual(added.map((r) => `${r.step} ${r.outcome} ${r.algorithm} ${r.note}`), added.map((r) => `${r.step} done INSTANT null`));
    // Innodb_instant_alter_column only grows, and other clients may add to it: at least ours are in it.
    assert.ok((await instantCount(MYSQL)) - before >= added.length, 'the server ran them instantly');
    assert.ok(await columnExists(MYSQL, `${prefix}db_tars_web`, 't_tars_files', 'benchmark_context'));
    // Widenings the server cannot do instantly run INPLACE (or copying), each recorded with INSTANT's refusal.
    const slower = all.filter((r) => r.algorithm !== 'INSTANT');
    assert.ok(slower.length > 0, `some step needs more than INSTANT: ${all.map((r) => `${r.step} ${r.algorithm}`).join('; ')}`);
    for (const r of all) if (r.algorithm !== 'INSTANT') assert.match(r.note ?? '', /INSTANT refused/, `${r.step}: a slower algorithm says why`);
  });

  it('an ALTER the server gives up on (metadata lock held) is recorded as failed with the server\'s reason', async () => {
    const prefix = newPrefix('mdl');
    prefixes.push(prefix);
    const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path, 20);
    const web = `${prefix}db_tars_web`;
    // An open transaction that has read t_tars_files holds its metadata lock: no ALTER of it can finish.
    const holder = await mysql.createConnection(MYSQL);
    try {
      await holder.query('START TRANSACTION');
      await holder.query(`SELECT COUNT(*) FROM \`${web}\`.t_tars_files`);
      const input = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
      await assert.rejects(applyMigration(input, { backupDir: backups.path, ddlLockWaitSeconds: 1 }), (err: unknown) =>
        err instanceof TarsDockerError && /step "t_tars_files: .*" failed: Lock wait timeout exceeded/.test(err.message));
      const failed = (await recorded(MYSQL, web)).filter((r) => r.outcome === 'failed');
      assert.equal(failed.length, 1, JSON.stringify(failed));
      assert.match(failed[0]!.step, /^t_tars_files: /);
      assert.equal(failed[0]!.algorithm, null);
      assert.match(failed[0]!.note ?? '', /Lock wait timeout exceeded/);
      assert.equal(await columnExists(MYSQL, web, 't_tars_files', 'benchmark_context'), false, 'the column was not added');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});
