import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { FORMAT, readManifest } from '../../src/db/backup/backup-manifest.js';
import { verifyBackup } from '../../src/db/backup/backup-read.js';
import { createBackup } from '../../src/db/backup/backup.js';
import { checksumInParts, checksumTable } from '../../src/db/backup/checksum.js';
import { openConnection, withConnection } from '../../src/db/connection.js';
import { restoreBackup } from '../../src/db/backup/restore.js';
import { dataSession } from '../../src/db/session.js';
import { MYSQL, dropPrefixed, newPrefix, tempDir } from './helpers.js';

/**
 * Written by the format-1 code (b825681) from a database of awkward values: a zero id, quotes, backslashes,
 * newlines, NUL and Ctrl-Z, 4-byte UTF-8, binary, a latin1 column, zero dates, TIMESTAMPs, and a table whose key
 * is not an integer.
 */
const FIXTURE = new URL('./fixtures/backup-format-1/', import.meta.url).pathname;
const FIXTURE_ID = '20261201T154944Z-b818';
const FIXTURE_DB = 'tdbk_fix';

describe('backup formats', () => {
  const prefix = newPrefix('bfmt');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('bfmt');
    // A copy, so nothing a run does can touch the checked-in files.
    await cp(join(FIXTURE, FIXTURE_ID), join(dir.path, FIXTURE_ID), { recursive: true });
  });
  after(async () => { await dropPrefixed(prefix); await dir.remove(); });

  it('a format-1 backup still verifies and restores, proven by its own checksum', async () => {
    const old = await readManifest(dir.path, FIXTURE_ID);
    assert.equal(old.format, 'tars-docker-backup/1');
    assert.deepEqual(await verifyBackup(dir.path, FIXTURE_ID), []);
    const target = `${prefix}fix`;
    const restored = await restoreBackup(MYSQL, { backupDir: dir.path, id: FIXTURE_ID, rename: { [FIXTURE_DB]: target } });
    assert.deepEqual(restored.map((t) => [t.table, t.rows]), [['t_keyless', 3], ['t_values', 304]]);
    const [rows] = await withConnection(MYSQL, (c) =>
      c.query<RowDataPacket[]>(`SELECT id, HEX(name) AS n, HEX(note) AS t, HEX(raw) AS r FROM \`${target}\`.t_values WHERE id IN (0, 1) ORDER BY id`));
    assert.deepEqual(rows.map((r) => [Number(r.id), r.n, r.t, r.r]), [
      [0, Buffer.from('zero id').toString('hex').toUpperCase(), null, null],
      [1, Buffer.from("it's (a) \\ test").toString('hex').toUpperCase(),
        Buffer.from('line one\nline two\r\n第二行 😀').toString('hex').toUpperCase(), '00282927FF'],
    ]);
  });

  it('a new backup is format 2, and a restore of it gives back the same rows as the format-1 one', async () => {
    const source = `${prefix}fix`;
    const manifest = await createBackup(MYSQL, { backupDir: dir.path, databases: [source] });
    assert.equal(manifest.format, FORMAT);
    assert.equal(FORMAT, 'tars-docker-backup/2');
    assert.deepEqual(await verifyBackup(dir.path, manifest.id), []);
    const copy = `${prefix}fix2`;
    await restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, rename: { [source]: copy } });
    await withConnection(MYSQL, async (c) => {
      for (const table of ['t_keyless', 't_values']) {
        const [a, b] = [await checksumTable(c, source, table), await checksumTable(c, copy, table)];
        assert.deepEqual([b.rows, b.checksum], [a.rows, a.checksum], table);
        const entry = manifest.databases[0]!.tables.find((t) => t.name === table)!;
        assert.equal(entry.checksum, a.checksum);
      }
    });
  });

  it('a checksum summed in key ranges on several connections equals the one of a single scan, in both kinds', async () => {
    const db = `${prefix}fix`;
    const conns = await Promise.all([openConnection(MYSQL), openConnection(MYSQL), openConnection(MYSQL)]);
    try {
      await Promise.all(conns.map(dataSession));
      for (const kind of ['crc32-row', 'crc32-pair'] as const) {
        for (const table of ['t_values', 't_keyless']) {
          const whole = await checksumInParts([conns[0]!], db, table, undefined, kind);
          assert.deepEqual(await checksumInParts(conns, db, table, undefined, kind), whole, `${kind} ${table}`);
          assert.deepEqual(await checksumInParts(conns.slice(0, 2), db, table, undefined, kind), whole, `${kind} ${table}`);
        }
      }
      const old = (await readManifest(dir.path, FIXTURE_ID)).databases[0]!.tables.find((t) => t.name === 't_values')!;
      assert.equal((await checksumInParts(conns, db, 't_values', old.columns, 'crc32-pair')).checksum, old.checksum);
    } finally {
      for (const c of conns) await c.end();
    }
  });
});
