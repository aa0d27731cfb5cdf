// Online DDL on a real MariaDB: which algorithm the server ran each ALTER with (its own counter and the column it
// created, beside what the history recorded), a server with INSTANT turned off, and an ALTER the server gives up on.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../../src/config/types.js';
import { TarsDockerError } from '../../src/errors.js';
import { applyMigration } from '../../src/db/migrate.js';
import { refsFor, labSchema, MYSQL, newPrefix, dropPrefixed, tempDir, createSeeded } from './helpers.js';

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

/** Upgrades seeded v2.4.2 web databases (the oldest schema, so the upgrade adds columns) to v3.0.16 on `server`; returns what each database's history holds. */
async function upgradeOn(server: MysqlConfig, prefix: string, backups: string): Promise<Record<string, Recorded[]>> {
  const databases = await createSeededOn(server, prefix, backups);
  const result = await applyMigration({ mysql: server, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' }, { backupDir: backups });
  assert.equal(result.ok, true, JSON.stringify(result.databases.map((d) => [d.data, d.schema])));
  const out: Record<string, Recorded[]> = {};
  for (const d of databases) out[d.target] = (await recorded(server, d.live)).filter((r) => r.step.includes(': add column') || r.step.includes(': add index') || r.step.includes(': widen'));
  return out;
}

async function createSeededOn(server: MysqlConfig, prefix: string, backups: string) {
  if (server === MYSQL) return createSeeded(prefix, 'v2.4.2', backups, 50);
  const databases = refsFor(prefix);
  const created = await applyMigration({ mysql: server, databases, schemaFiles: await labSchema('v2.4.2'), version: 'v2.4.2' }, { backupDir: backups });
  assert.equal(created.ok, true);
  return databases;
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

  it('adds columns with ALGORITHM=INSTANT (the server counts them) and indexes INPLACE after INSTANT is refused', async () => {
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
    // TarsWeb's own SQL adds no index between these versions: a target with one more index on t_tars_files does.
    const target = await labSchema('v3.0.16');
    const web = target.db_tars_web!;
    const text = web.text.replace('PRIMARY KEY (`server_name`,`file_name`)', 'KEY `tdm_by_application` (`application`),\n  PRIMARY KEY (`server_name`,`file_name`)');
    assert.notEqual(text, web.text);
    const databases = refsFor(prefix);
    const withIndex = await applyMigration({ mysql: MYSQL, databases, schemaFiles: { ...target, db_tars_web: { ...web, text } }, version: 'v3.0.16+index' }, { backupDir: backups.path });
    assert.equal(withIndex.ok, true, JSON.stringify(withIndex.databases.map((d) => [d.data, d.schema])));
    const indexes = (await recorded(MYSQL, `${prefix}db_tars_web`)).filter((r) => r.step.includes(': add index'));
    assert.ok(indexes.length > 0, 'the migration adds an index');
    for (const r of indexes) {
      assert.equal(r.algorithm, 'INPLACE', r.step);
      assert.match(r.note ?? '', /^INSTANT refused: /, r.step);
    }
    for (const r of [...all, ...indexes]) if (r.algorithm !== 'INSTANT') assert.match(r.note ?? '', /INSTANT refused/, `${r.step}: a slower algorithm says why`);
  });

  describe('a server with INSTANT disabled (innodb_instant_alter_column_allowed=never)', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-noinstant-'));
    let server: MysqlConfig;
    let child: ChildProcess | undefined;

    before(async () => {
      const port = await new Promise<number>((ok) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const { port: p } = s.address() as { port: number };
          s.close(() => ok(p));
        });
      });
      const data = join(dir, 'data');
      const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'], { encoding: 'utf8' });
      assert.equal(install.status, 0, install.stderr);
      child = spawn('mariadbd', ['--no-defaults', `--datadir=${data}`, `--socket=${dir}/mysql.sock`, `--port=${port}`, '--bind-address=127.0.0.1',
        '--user=root', '--innodb-instant-alter-column-allowed=never', '--innodb-flush-log-at-trx-commit=2'], { stdio: ['ignore', 'ignore', 'pipe'] });
      // The server is ready when it says so on stderr.
      await new Promise<void>((ok, fail) => {
        let log = '';
        child!.stderr!.on('data', (d: Buffer) => {
          log += String(d);
          if (/ready for connections/.test(log)) ok();
        });
        child!.once('exit', (code) => fail(new Error(`mariadbd exited (${code}): ${log}`)));
      });
      server = { host: '127.0.0.1', port, user: 'root', password: '' };
    });
    after(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((ok) => child!.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('falls back to INPLACE for every added column, says why, and the server ran none instantly', async () => {
      const [{ v }] = await query<{ v: string }>(server, 'SELECT @@innodb_instant_alter_column_allowed AS v');
      assert.equal(v, 'never');
      const before = await instantCount(server);
      const steps = await upgradeOn(server, newPrefix('noinstant'), backups.path);
      const added = Object.values(steps).flat().filter((r) => r.step.includes(': add column'));
      assert.ok(added.length > 0);
      for (const r of added) {
        assert.equal(`${r.outcome} ${r.algorithm}`, 'done INPLACE', r.step);
        assert.match(r.note ?? '', /^INSTANT refused: /, r.step);
      }
      assert.equal(await instantCount(server), before, 'Innodb_instant_alter_column did not move');
    });
  });

  it('an ALTER the server gives up on (metadata lock held) is recorded as failed with the server\'s reason', async () => {
    const prefix = newPrefix('mdl');
    prefixes.push(prefix);
    const databases = await createSeeded(prefix, 'v2.4.2', backups.path, 20);
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
