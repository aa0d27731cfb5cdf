import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { connectMysql } from '../../src/mysql/connect.js';
import { cli, freshCluster, labConfig } from '../support/lab.js';

const backupDir = mkdtempSync(join(tmpdir(), 'td-backups-'));

async function tables(db: string): Promise<Record<string, number>> {
  const conn = await connectMysql(labConfig().mysql);
  try {
    const [rows] = (await conn.query(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1`, [db])) as unknown as [{ t: string }[]];
    const out: Record<string, number> = {};
    for (const { t } of rows) {
      const [[c]] = (await conn.query(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${t}\``)) as unknown as [[{ n: number }]];
      out[t] = Number(c.n);
    }
    return out;
  } finally {
    await conn.end();
  }
}

describe('migrate and backup commands on the lab', () => {
  before(async () => {
    await freshCluster('v2.4.22');
  });

  // Image v2.4.22 carries TarsWeb 2.4.22 and v3.0.16 TarsWeb 3.0.12: t_token.token 128 → 255 (TarsWeb 2.4.24) and
  // t_application (3.0.0) are the whole difference; the narrowings happened before 2.4.22 (see test/db for them).
  it('migrate plan reads the target schema out of the target image, plans the real difference, and changes nothing', async () => {
    const before = await tables('db_user_system');
    const r = await cli(['migrate', 'plan', '--to', 'v3.0.16']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /CREATE TABLE `db_tars_web`\.`t_application`/);
    assert.match(r.stdout, /ALTER TABLE `db_user_system`\.`t_token` MODIFY COLUMN `token` varchar\(255\)/);
    assert.doesNotMatch(r.stdout, /unsafe/);
    assert.deepEqual(await tables('db_user_system'), before);
  });

  it('migrate apply backs up, applies, verifies; a second apply has nothing to do', async () => {
    const r = await cli(['--json', 'migrate', 'apply', '--to', 'v3.0.16', '--backup-dir', backupDir]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { ok: boolean; backup?: { id: string }; databases: { applied: unknown[] }[] };
    assert.equal(doc.ok, true);
    assert.ok(doc.backup?.id);
    assert.ok(doc.databases.some((d) => d.applied.length > 0));
    const again = JSON.parse((await cli(['--json', 'migrate', 'apply', '--to', 'v3.0.16', '--backup-dir', backupDir])).stdout) as { databases: { applied: unknown[] }[] };
    assert.ok(again.databases.every((d) => d.applied.length === 0));
    const verify = await cli(['migrate', 'verify', '--to', 'v3.0.16', '--backup-dir', backupDir]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('backup create, verify and restore into another database', async () => {
    const created = await cli(['--json', 'backup', 'create', '--db', 'db_tars_web', '--backup-dir', backupDir]);
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    const list = await cli(['backup', 'list', '--backup-dir', backupDir]);
    assert.match(list.stdout, new RegExp(id));
    assert.equal((await cli(['backup', 'verify', id, '--backup-dir', backupDir])).code, 0);
    const restored = await cli(['--yes', 'backup', 'restore', id, '--rename', 'db_tars_web=td_restored_web', '--backup-dir', backupDir]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await tables('td_restored_web'), await tables('db_tars_web'));
    const refused = await cli(['--yes', 'backup', 'restore', id, '--rename', 'db_tars_web=td_restored_web', '--backup-dir', backupDir]);
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    const conn = await connectMysql(labConfig().mysql);
    await conn.query('DROP DATABASE td_restored_web');
    await conn.end();
  });
});
