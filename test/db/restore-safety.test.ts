import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { InputError, TarsDockerError } from '../../src/errors.js';
import { createBackup } from '../../src/db/backup/backup.js';
import type { BackupManifest } from '../../src/db/backup/backup-manifest.js';
import { baseTables, checksumTable, type TableChecksum } from '../../src/db/backup/checksum.js';
import { withConnection } from '../../src/db/connection.js';
import { restoreBackup } from '../../src/db/backup/restore.js';
import { MYSQL, createSeeded, dropPrefixed, newPrefix, tempDir } from './helpers.js';

/** Every table of a database, with its rows' checksum and its definition: equal states mean nothing changed. */
async function state(database: string): Promise<{ sums: TableChecksum[]; tables: string[] }> {
  return withConnection(MYSQL, async (c) => {
    const tables = await baseTables(c, database);
    return { tables, sums: await Promise.all(tables.map((t) => checksumTable(c, database, t))) };
  });
}

/** A copy of a backup under a new id, so each case damages its own. */
async function copyBackup(dir: string, manifest: BackupManifest, suffix: string): Promise<string> {
  const id = `${manifest.id}-${suffix}`;
  await cp(join(dir, manifest.id), join(dir, id), { recursive: true });
  const path = join(dir, id, 'manifest.json');
  await writeFile(path, (await readFile(path, 'utf8')).replace(manifest.id, id));
  return id;
}

describe('restore never touches a live table before the backup is proven', () => {
  const prefix = newPrefix('rsafe');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let manifest: BackupManifest;
  let live: string;
  before(async () => {
    dir = await tempDir('rsafe');
    const dbs = await createSeeded(prefix, 'v3.0.16', dir.path, 500);
    live = dbs[0]!.live;
    manifest = await createBackup(MYSQL, { backupDir: dir.path, databases: [live] });
    // The live database moves on after the backup: a restore that fails must leave exactly this state.
    await withConnection(MYSQL, (c) => c.query(`DELETE FROM \`${live}\`.t_tars_files LIMIT 3`));
  });
  after(async () => { await dropPrefixed(prefix); await dir.remove(); });

  const table = () => manifest.databases[0]!.tables.find((t) => t.name === 't_tars_files')!;

  it('refuses a backup with a flipped byte before any write, naming the table', async () => {
    const id = await copyBackup(dir.path, manifest, 'flip');
    const file = join(dir.path, id, table().file);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] ^= 0xff;
    await writeFile(file, bytes);
    const before = await state(live);
    await assert.rejects(restoreBackup(MYSQL, { backupDir: dir.path, id, force: true }), (err: unknown) =>
      err instanceof InputError && err.message.includes(`is damaged, nothing was restored: ${live}.${table().name}:`));
    assert.deepEqual(await state(live), before);
  });

  it('refuses edited rows in a valid gzip whose manifest hash was updated too, leaving the live table as it was', async () => {
    const id = await copyBackup(dir.path, manifest, 'edit');
    const file = join(dir.path, id, table().file);
    const text = gunzipSync(await readFile(file)).toString('utf8');
    const edited = text.replace('腾讯', '腾迅');
    assert.notEqual(edited, text);
    const gz = gzipSync(edited);
    await writeFile(file, gz);
    const path = join(dir.path, id, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8')) as BackupManifest;
    const entry = m.databases[0]!.tables.find((t) => t.name === table().name)!;
    entry.sha256 = createHash('sha256').update(gz).digest('hex');
    await writeFile(path, JSON.stringify(m));
    const before = await state(live);
    await assert.rejects(restoreBackup(MYSQL, { backupDir: dir.path, id, force: true }), (err: unknown) =>
      err instanceof TarsDockerError && err.message.startsWith(`restore of ${live}.${table().name} stopped, nothing was replaced:`) &&
      /checksum/.test(err.message));
    assert.deepEqual(await state(live), before);
  });

  it('writes every backup file readable by its owner only (0600) in folders only its owner may enter (0700)', async () => {
    const walk = async (path: string): Promise<[string, number][]> => {
      const mode = (await stat(path)).mode;
      if (!(mode & 0o040000)) return [[path, mode & 0o777]];
      const inside = await Promise.all((await readdir(path)).map((n) => walk(join(path, n))));
      return [[path, mode & 0o777], ...inside.flat()];
    };
    const entries = await walk(join(dir.path, manifest.id));
    assert.ok(entries.length > 3);
    for (const [path, mode] of entries) {
      const isDir = (await stat(path)).isDirectory();
      assert.equal(mode, isDir ? 0o700 : 0o600, `${path} is ${mode.toString(8)}`);
    }
  });

  it('a good backup replaces every table at once and leaves no copies behind', async () => {
    await restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, force: true });
    const after = await state(live);
    assert.deepEqual(after.tables, manifest.databases[0]!.tables.map((t) => t.name));
    for (const t of manifest.databases[0]!.tables) {
      const sum = after.sums.find((s) => s.table === t.name)!;
      assert.deepEqual([sum.rows, sum.checksum], [t.rows, t.checksum], t.name);
    }
    const [leftovers] = await withConnection(MYSQL, (c) =>
      c.query<RowDataPacket[]>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME LIKE '\\_\\_tdr\\_%'", [live]));
    assert.deepEqual(leftovers, []);
  });
});
