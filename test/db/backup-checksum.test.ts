import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBackup } from '../../src/db/backup/backup.js';
import { checksumTable } from '../../src/db/backup/checksum.js';
import { restoreBackup } from '../../src/db/backup/restore.js';
import { openConnection, withConnection } from '../../src/db/connection.js';
import { dataSession } from '../../src/db/session.js';
import { MYSQL, dropPrefixed, newPrefix, tempDir } from './helpers.js';

// Values at the edges of every type whose checksum the backup computes from the streamed rows: the server, asked
// afterwards, must give the very same number, or a restore could never prove its rows.
const SUMMED_HERE = `CREATE TABLE t_types (
  id bigint unsigned NOT NULL PRIMARY KEY, ti tinyint, si smallint unsigned, mi mediumint, i int, d decimal(20,6),
  c char(8), vc varchar(64), tt tinytext, t text, mt mediumtext, lt longtext, e enum('a','b','Ä'), s set('x','y','z'),
  bn binary(4), vb varbinary(16), tb tinyblob, b blob, mb mediumblob, lb longblob,
  dt date, dtt datetime(6), ts timestamp(3) NULL DEFAULT NULL, tm time(2), y year, asc_text varchar(8) CHARACTER SET ascii,
  mb3 varchar(16) CHARACTER SET utf8mb3
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
const ROWS = [
  `(18446744073709551615, -128, 65535, -8388608, -2147483648, -99999999999999.999999, 'ab', '', '', 'a\\nb\\tc', 'x', 'y',
    'Ä', 'x,z', X'00000000', X'', X'00ff', X'5c27', X'0a0d1a', X'e4b8ad', '1000-01-01', '9999-12-31 23:59:59.999999',
    '1970-01-01 00:00:01.000', '-838:59:59.00', 1901, '~', '中文')`,
  `(1, 127, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL)`,
  `(2, 0, 1, 1, 1, 0.000001, 'trail  ', '''"\\\\', '😀', REPEAT('长', 5000), REPEAT('m', 70000), '', 'b', 'x,y,z',
    X'ffffffff', X'1f2c', X'1f', REPEAT(X'00', 300), '', '', '2024-02-29', '2024-02-29 12:34:56.000001',
    '2038-01-19 03:14:07.999', '00:00:00.01', 2155, '', 'ok')`,
];
const SUMMED_BY_SERVER = 'CREATE TABLE t_floats (id int PRIMARY KEY, f float, g double, bits bit(5), z int(6) zerofill) ENGINE=InnoDB';

describe('backup checksums computed from the stream', () => {
  const prefix = newPrefix('bsum');
  const db = `${prefix}src`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('bsum');
    await withConnection(MYSQL, async (c) => {
      await dataSession(c);
      await c.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`);
      await c.query(`USE \`${db}\``);
      await c.query(SUMMED_HERE);
      await c.query(`INSERT INTO t_types VALUES ${ROWS.join(',')}`);
      await c.query(`INSERT INTO t_types (id, vc, t) SELECT seq + 10, CONCAT('row ', seq), REPEAT(CHAR(seq % 256), seq % 50) FROM seq_1_to_5000`);
      await c.query(SUMMED_BY_SERVER);
      await c.query('INSERT INTO t_floats VALUES (1, 0.1, 1e-300, b\'10101\', 42), (2, NULL, 3.141592653589793, NULL, NULL)');
    });
  });
  after(async () => { await dropPrefixed(prefix); await dir.remove(); });

  it('equal the server\'s own checksum of every table, and a restore of them is proven against it', async () => {
    const manifest = await createBackup(MYSQL, { backupDir: dir.path, databases: [db] });
    const tables = manifest.databases[0]!.tables;
    assert.deepEqual(tables.map((t) => [t.name, t.rows]), [['t_floats', 2], ['t_types', 5003]]);
    const conn = await openConnection(MYSQL);
    try {
      await dataSession(conn);
      for (const t of tables) {
        const server = await checksumTable(conn, db, t.name, t.columns);
        assert.deepEqual([t.rows, t.checksum], [server.rows, server.checksum], t.name);
      }
    } finally {
      await conn.end();
    }
    const copy = `${prefix}copy`;
    const restored = await restoreBackup(MYSQL, { backupDir: dir.path, id: manifest.id, rename: { [db]: copy } });
    assert.deepEqual(restored.map((t) => [t.table, t.rows]), [['t_floats', 2], ['t_types', 5003]]);
  });
});
