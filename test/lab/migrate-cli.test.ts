import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openConnection } from '../../src/db/connection.js';
import { cli, freshCluster, labConfig } from '../support/lab.js';
import { seedWebData, WEB_DATABASES } from '../support/rollout.js';

const backupDir = mkdtempSync(join(tmpdir(), 'td-backups-'));
const SCHEMA_DIR = resolve('images/framework/sql/v3.0.16');

type Schema = Record<string, { create: string; rows: number }>;

async function query<T>(sql: string, args: unknown[] = []): Promise<T[]> {
  const conn = await openConnection(labConfig().mysql, { values: 'native' });
  try {
    return ((await conn.query(sql, args)) as unknown as [T[]])[0];
  } finally {
    await conn.end();
  }
}

/** Every table of the databases with its full definition and row count: equal values mean nothing changed. */
async function schema(databases: readonly string[] = WEB_DATABASES): Promise<Schema> {
  const out: Schema = {};
  for (const db of databases) {
    for (const { t } of await query<{ t: string }>(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1`, [db])) {
      const [def] = await query<{ 'Create Table': string }>(`SHOW CREATE TABLE \`${db}\`.\`${t}\``);
      const [count] = await query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${t}\``);
      // AUTO_INCREMENT moves with inserts; the definition is what a migration may change
      out[`${db}.${t}`] = { create: def!['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''), rows: Number(count!.n) };
    }
  }
  return out;
}

async function databaseExists(name: string): Promise<boolean> {
  return (await query(`SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`, [name])).length > 0;
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  return lines[0]!;
}

interface PlanDoc {
  databases: { live: string; steps: { id: string; sql: string }[]; findings: { severity: string; table: string; column?: string }[] }[];
}

describe('migrate and backup commands on the lab', () => {
  const restored = ['td_restored_web', 'td_damaged_web'];
  before(async () => {
    await freshCluster('v2.4.22');
    await seedWebData(50);
  });
  after(async () => {
    for (const db of restored) await query(`DROP DATABASE IF EXISTS \`${db}\``);
  });

  // Image v2.4.22 carries TarsWeb 2.4.22 and v3.0.16 TarsWeb 3.0.12: t_token.token 128 → 255 (TarsWeb 2.4.24) and
  // t_application (3.0.0) are the whole difference; the narrowings happened before 2.4.22 (see test/db for them).
  it('migrate plan reads the target schema out of the target image, plans the real difference, and changes nothing', async () => {
    const before = await schema();
    const r = await cli(['migrate', 'plan', '--to', 'v3.0.16']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /CREATE TABLE `db_tars_web`\.`t_application`/);
    assert.match(r.stdout, /ALTER TABLE `db_user_system`\.`t_token` MODIFY COLUMN `token` varchar\(255\)/);
    assert.doesNotMatch(r.stdout, /unsafe/);
    assert.deepEqual(await schema(), before);
  });

  it('migrate plan --db --schema-dir plans only that database, from the folder, as the image would', async () => {
    const fromImage = JSON.parse((await cli(['--json', 'migrate', 'plan', '--to', 'v3.0.16'])).stdout) as PlanDoc;
    const r = await cli(['--json', 'migrate', 'plan', '--to', 'v3.0.16', '--db', 'db_user_system', '--schema-dir', SCHEMA_DIR]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as PlanDoc;
    assert.deepEqual(doc.databases.map((d) => d.live), ['db_user_system']);
    assert.deepEqual(doc.databases[0], fromImage.databases.find((d) => d.live === 'db_user_system'));
    assert.ok(doc.databases[0]!.steps.some((st) => st.id.startsWith('t_token: widen token')), JSON.stringify(doc.databases[0]!.steps.map((st) => st.id)));
  });

  it('migrate refuses an unknown --db and an empty --schema-dir with exit 2, naming them', async () => {
    const badDb = await cli(['migrate', 'plan', '--to', 'v3.0.16', '--db', 'db_tars']);
    assert.equal(badDb.code, 2, badDb.stderr);
    assert.match(oneLine(badDb.stderr), /--db: db_tars is not one of db_tars_web, db_user_system/);
    const empty = mkdtempSync(join(tmpdir(), 'td-noschema-'));
    const noFiles = await cli(['migrate', 'plan', '--to', 'v3.0.16', '--schema-dir', empty]);
    assert.equal(noFiles.code, 2, noFiles.stderr);
    assert.match(oneLine(noFiles.stderr), new RegExp(`no db_tars_web\\.sql or db_user_system\\.sql in ${empty}`));
  });

  it('migrate apply backs up, applies, verifies; a second apply has nothing to do', async () => {
    const before = await schema();
    const plan = JSON.parse((await cli(['--json', 'migrate', 'plan', '--to', 'v3.0.16'])).stdout) as PlanDoc;
    const planned = plan.databases.flatMap((d) => d.steps.map((s) => `${d.live} ${s.id}`)).sort();
    assert.ok(planned.length > 0, 'the plan has steps');

    const r = await cli(['--json', 'migrate', 'apply', '--to', 'v3.0.16', '--backup-dir', backupDir]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { ok: boolean; backup?: { id: string; databases: { name: string }[] }; databases: { live: string; applied: { step: { id: string } }[] }[] };
    assert.equal(doc.ok, true);
    assert.deepEqual(readdirSync(backupDir), [doc.backup?.id], 'the backup it names is in --backup-dir');
    assert.deepEqual(doc.backup!.databases.map((d) => d.name).sort(), [...WEB_DATABASES].sort());
    assert.deepEqual(doc.databases.flatMap((d) => d.applied.map((s) => `${d.live} ${s.step.id}`)).sort(), planned, 'exactly the planned steps ran');

    // Independently of the tool: every old table keeps its rows, and the new tables of v3.0.16 exist.
    const afterApply = await schema();
    for (const [table, t] of Object.entries(before)) assert.equal(afterApply[table]?.rows, t.rows, table);
    assert.ok(afterApply['db_tars_web.t_application'], 'db_tars_web.t_application created');
    assert.match(afterApply['db_user_system.t_token']?.create ?? '', /`token` varchar\(255\)/);
    assert.notDeepEqual(afterApply, before);

    const again = await cli(['--json', 'migrate', 'apply', '--to', 'v3.0.16', '--backup-dir', backupDir]);
    assert.equal(again.code, 0, again.stderr);
    const againDoc = JSON.parse(again.stdout) as { databases: { live: string; applied: unknown[] }[] };
    assert.deepEqual(againDoc.databases.map((d) => `${d.live} ${d.applied.length}`), ['db_tars_web 0', 'db_user_system 0']);
    assert.deepEqual(await schema(), afterApply);

    const verify = await cli(['migrate', 'verify', '--to', 'v3.0.16', '--backup-dir', backupDir]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^db_tars_web: 0 safe changes missing, \d+ kept differences, 0 data mismatches against backup /m);
    assert.match(verify.stdout, /^db_user_system: 0 safe changes missing, /m);
  });

  it('migrate verify fails with exit 1 when a table of the target is missing, and apply brings it back', async () => {
    await query('DROP TABLE db_tars_web.t_application');
    try {
      const verify = await cli(['--json', 'migrate', 'verify', '--to', 'v3.0.16', '--backup-dir', backupDir]);
      assert.equal(verify.code, 1, verify.stdout + verify.stderr);
      const doc = JSON.parse(verify.stdout) as { ok: boolean; databases: { live: string; remainingSteps: { id: string }[] }[] };
      assert.equal(doc.ok, false);
      const missing = Object.fromEntries(doc.databases.map((d) => [d.live, d.remainingSteps.map((s) => s.id)]));
      assert.deepEqual(Object.keys(missing), ['db_tars_web', 'db_user_system']);
      assert.ok(missing.db_tars_web!.includes('t_application: create table'), missing.db_tars_web!.join('; '));
      assert.ok(missing.db_tars_web!.every((id) => id.startsWith('t_application: ')), missing.db_tars_web!.join('; '));
      assert.deepEqual(missing.db_user_system, []);
    } finally {
      const r = await cli(['migrate', 'apply', '--to', 'v3.0.16', '--backup-dir', backupDir]);
      assert.equal(r.code, 0, r.stderr);
    }
    const verify = await cli(['migrate', 'verify', '--to', 'v3.0.16', '--backup-dir', backupDir]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('backup create, verify and restore into another database; a second restore needs --force', async () => {
    const created = await cli(['--json', 'backup', 'create', '--db', 'db_tars_web', '--backup-dir', backupDir]);
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    const list = await cli(['backup', 'list', '--backup-dir', backupDir]);
    assert.match(list.stdout, new RegExp(`^${id}  .*  db_tars_web$`, 'm'));
    const verified = await cli(['backup', 'verify', id, '--backup-dir', backupDir]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(verified.stdout.trim(), `backup ${id} verified`);
    const live = await schema(['db_tars_web']);
    const rename = (s: Schema, db: string) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k.replace(/^[^.]+/, db), v]));

    const restore = ['backup', 'restore', id, '--db', 'db_tars_web', '--rename', 'db_tars_web=td_restored_web', '--backup-dir', backupDir];
    const withoutYes = await cli(restore);
    assert.equal(withoutYes.code, 2, withoutYes.stderr);
    assert.match(oneLine(withoutYes.stderr), new RegExp(`restore backup ${id}: refusing without --yes \\(not a terminal\\)$`));
    assert.equal(await databaseExists('td_restored_web'), false);
    const r = await cli(['--yes', ...restore]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rename(await schema(['td_restored_web']), 'db_tars_web'), live);

    const refused = await cli(['--yes', ...restore]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(oneLine(refused.stderr), /restore would overwrite tables that hold rows: td_restored_web\.\S+.*; pass --force to replace them$/);
    const withRows = Object.keys(live).find((t) => live[t]!.rows > 1);
    assert.ok(withRows, 'a restored table with rows');
    await query(`DELETE FROM ${withRows.replace('db_tars_web', 'td_restored_web')} LIMIT 1`);
    const forced = await cli(['--yes', ...restore, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(rename(await schema(['td_restored_web']), 'db_tars_web'), live, '--force puts back exactly the backup');
  });

  it('a damaged backup fails verify naming the table, and restore refuses it with exit 2 before touching the server', async () => {
    const created = JSON.parse((await cli(['--json', 'backup', 'create', '--db', 'db_tars_web', '--backup-dir', backupDir])).stdout) as {
      id: string; databases: { tables: { name: string; rows: number }[] }[];
    };
    const table = created.databases[0]!.tables.find((t) => t.rows > 0);
    assert.ok(table, 'a table with rows to damage');
    const damagedDir = mkdtempSync(join(tmpdir(), 'td-damaged-'));
    cpSync(join(backupDir, created.id), join(damagedDir, created.id), { recursive: true });
    const file = join(damagedDir, created.id, 'db_tars_web', `${table.name}.sql.gz`);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);

    const verify = await cli(['backup', 'verify', created.id, '--backup-dir', damagedDir]);
    assert.equal(verify.code, 1, verify.stdout + verify.stderr);
    assert.match(verify.stdout, new RegExp(`^db_tars_web\\.${table.name}: `, 'm'));
    const restore = await cli(['--yes', 'backup', 'restore', created.id, '--rename', 'db_tars_web=td_damaged_web', '--backup-dir', damagedDir]);
    assert.equal(restore.code, 2, restore.stderr);
    assert.match(oneLine(restore.stderr), new RegExp(`backup ${created.id} is damaged, nothing was restored: db_tars_web\\.${table.name}: `));
    assert.equal(await databaseExists('td_damaged_web'), false);
  });
});
