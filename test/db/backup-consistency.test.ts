import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBackup } from '../../src/db/backup/backup.js';
import { openConnection, withConnection } from '../../src/db/connection.js';
import { restoreBackup } from '../../src/db/backup/restore.js';
import { checksumTable } from '../../src/db/backup/checksum.js';
import { MYSQL, dropPrefixed, newPrefix, tempDir } from './helpers.js';

describe('a backup taken while the application writes', () => {
  const prefix = newPrefix('snap');
  const db = `${prefix}app`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('snap');
    await withConnection(MYSQL, async (c) => {
      await c.query(`CREATE DATABASE \`${db}\``);
      for (const t of ['a', 'b']) {
        await c.query(`CREATE TABLE \`${db}\`.${t} (id int AUTO_INCREMENT PRIMARY KEY, v varchar(64)) ENGINE=InnoDB`);
        await c.query(`INSERT INTO \`${db}\`.${t} (v) SELECT CONCAT('row ', seq) FROM \`${db}\`.seq_1_to_20000`);
      }
    });
  });
  after(async () => { await dropPrefixed(prefix); await dir.remove(); });

  it('sees one moment across tables and between rows and checksums, and restores to exactly that', async () => {
    // Every transaction adds one row to each table: any consistent moment has equal counts.
    const writer = await openConnection(MYSQL);
    let writing = true;
    let commits = 0;
    const load = (async () => {
      while (writing) {
        await writer.query('START TRANSACTION');
        await writer.query(`INSERT INTO \`${db}\`.a (v) VALUES ('w')`);
        await writer.query(`INSERT INTO \`${db}\`.b (v) VALUES ('w')`);
        await writer.query('COMMIT');
        commits++;
      }
    })();
    let manifest;
    try {
      manifest = await createBackup(MYSQL, { backupDir: dir.path, databases: [db] });
    } finally {
      writing = false;
      await load;
      await writer.end();
    }
    assert.ok(commits > 0, 'the writer committed while the backup ran');
    const [a, b] = manifest.databases[0]!.tables;
    assert.equal(a!.rows, b!.rows, 'both tables from the same moment');
    assert.ok(a!.rows >= 20000);

    const copy = `${prefix}copy`;
    await restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, rename: { [db]: copy } });
    await withConnection(MYSQL, async (c) => {
      for (const t of [a!, b!]) {
        const sum = await checksumTable(c, copy, t.name, t.columns);
        assert.deepEqual([sum.rows, sum.checksum], [t.rows, t.checksum], t.name);
      }
    });
  });
});
