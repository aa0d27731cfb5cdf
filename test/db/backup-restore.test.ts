import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { InputError } from '../../src/errors.js';
import { listBackups } from '../../src/db/backup/backup-manifest.js';
import { verifyBackup } from '../../src/db/backup/backup-read.js';
import { createBackup } from '../../src/db/backup/backup.js';
import { baseTables, checksumTable } from '../../src/db/backup/checksum.js';
import { withConnection } from '../../src/db/connection.js';
import { restoreBackup } from '../../src/db/backup/restore.js';
import { MYSQL, createSeeded, dropPrefixed, newPrefix, tempDir } from './helpers.js';

describe('backup and restore', () => {
  const source = newPrefix('bak');
  const copy = newPrefix('rst');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { dir = await tempDir('backup'); });
  after(async () => { await dropPrefixed(source); await dropPrefixed(copy); await dir.remove(); });

  it('backs up, verifies, restores into new databases table for table, and refuses to overwrite rows without force', async () => {
    const databases = (await createSeeded(source, 'v3.0.16', dir.path, 3000)).map((d) => d.live);
    const manifest = await createBackup(MYSQL, { backupDir: dir.path, databases });
    assert.deepEqual((await listBackups(dir.path)).map((b) => b.id), [manifest.id]);
    assert.ok(!(await readdir(dir.path)).some((n) => n.startsWith('.tmp-')));
    const auth = manifest.databases[1]!.tables.find((t) => t.name === 't_auth')!;
    assert.equal(auth.rows, 3001);
    assert.deepEqual(await verifyBackup(dir.path, manifest.id), []);

    const rename = Object.fromEntries(databases.map((d) => [d, d.replace(source, copy)]));
    const restored = await restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, rename });
    assert.equal(restored.length, manifest.databases.reduce((n, d) => n + d.tables.length, 0));
    await withConnection(MYSQL, async (c) => {
      for (const db of databases) {
        const tables = await baseTables(c, db);
        assert.deepEqual(await baseTables(c, rename[db]!), tables);
        for (const t of tables) {
          const [a, b] = [await checksumTable(c, db, t), await checksumTable(c, rename[db]!, t)];
          assert.deepEqual(b, a, `${db}.${t}`);
          const create = async (d: string) => String((await c.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${d}\`.\`${t}\``))[0][0]!['Create Table']);
          assert.equal(await create(rename[db]!), await create(db));
        }
      }
    });

    await assert.rejects(restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, rename }), (err: unknown) =>
      err instanceof InputError && /restore would overwrite tables that hold rows: .*t_auth.*; pass --force/.test(err.message));
    const again = await restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, rename, force: true });
    assert.deepEqual(again, restored);
  });

  it('notices a damaged file, and leaves no half-written backup when one fails', async () => {
    const [good] = await listBackups(dir.path);
    const damaged = `${good!.id}-damaged`;
    await cp(join(dir.path, good!.id), join(dir.path, damaged), { recursive: true });
    const manifestPath = join(dir.path, damaged, 'manifest.json');
    await writeFile(manifestPath, (await readFile(manifestPath, 'utf8')).replace(good!.id, damaged));
    const file = join(dir.path, damaged, good!.databases[0]!.tables[1]!.file);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] ^= 0xff;
    await writeFile(file, bytes);
    const problems = await verifyBackup(dir.path, damaged);
    assert.ok(problems.length > 0 && problems.every((p) => p.table === good!.databases[0]!.tables[1]!.name), JSON.stringify(problems));

    const before = await readdir(dir.path);
    await assert.rejects(createBackup(MYSQL, { backupDir: dir.path, databases: [`${source}db_tars_web`, `${source}no_such_db`] }), /no such database/);
    assert.deepEqual(await readdir(dir.path), before);
  });
});
