import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConfig } from '../../src/config/types.js';
import { withConnection } from '../../src/db/connection.js';
import { applyMigration, type MigrateInput } from '../../src/db/migrate/migrate.js';
import { snapshotData } from '../../src/db/backup/verify.js';
import { startPrivateMariadb, type PrivateMariadb } from '../support/private-mariadb.js';
import { MYSQL, newPrefix, tempDir } from './helpers.js';

const LIVE = (db: string) => `CREATE TABLE \`${db}\`.t_tars_files (
  f_id int NOT NULL AUTO_INCREMENT, server_name varchar(128) NOT NULL DEFAULT '', context mediumtext,
  PRIMARY KEY (f_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8`;
// TarsWeb 2.4.5's change: one nullable column added after context.
const TARGET = `CREATE TABLE t_tars_files (
  f_id int NOT NULL AUTO_INCREMENT, server_name varchar(128) NOT NULL DEFAULT '', context mediumtext, benchmark_context text,
  PRIMARY KEY (f_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8;`;

/** Creates a filled table, migrates it, and returns what the history recorded for the add-column step. */
async function addColumnOn(mysql: MysqlConfig, backupDir: string): Promise<{ algorithm: string; note: string; ok: boolean }> {
  const prefix = newPrefix('noinstant');
  const db = `${prefix}db_tars_web`;
  await withConnection(mysql, async (c) => {
    await c.query(`CREATE DATABASE \`${db}\``);
    await c.query(LIVE(db));
    await c.query(`INSERT INTO \`${db}\`.t_tars_files (server_name, context) VALUES ?`, [Array.from({ length: 500 }, (_, i) => [`Srv${i}`, `{"n":${i}}`])]);
  });
  try {
    const input: MigrateInput = {
      mysql, databases: [{ target: 'db_tars_web', live: db }], version: 'v2.4.5',
      schemaFiles: { db_tars_web: { file: 'target/db_tars_web.sql', text: TARGET } },
    };
    const beforeData = await withConnection(mysql, (c) => snapshotData(c, db));
    const result = await applyMigration(input, { backupDir });
    assert.deepEqual(result.databases[0]!.applied.map((s) => s.step.id), ['t_tars_files: add column benchmark_context']);
    assert.equal(beforeData.tables[0]!.rows, 500);
    return await withConnection(mysql, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(`SELECT algorithm, note FROM \`${db}\`.tars_docker_migrations WHERE step_id LIKE '%add column%'`);
      return { algorithm: String(rows[0]!.algorithm), note: String(rows[0]!.note ?? ''), ok: result.ok && result.databases[0]!.data.length === 0 };
    });
  } finally {
    await withConnection(mysql, (c) => c.query(`DROP DATABASE IF EXISTS \`${db}\``));
  }
}

describe('a server that refuses INSTANT DDL', () => {
  let server: PrivateMariadb | undefined;
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    backups = await tempDir('noinstant');
    server = await startPrivateMariadb(['--innodb-instant-alter-column-allowed=never']);
  });
  after(async () => {
    await server?.stop();
    await backups.remove();
  });

  it('is the private MariaDB, configured so, and the machine\'s own is left as it was', async () => {
    const setting = (m: MysqlConfig) => withConnection(m, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>('SELECT @@GLOBAL.innodb_instant_alter_column_allowed AS v');
      return String(rows[0]!.v);
    });
    assert.equal(await setting(server!.mysql), 'never');
    assert.notEqual(await setting(MYSQL), 'never');
  });

  it('an added column falls back to INPLACE with LOCK=NONE, and the history records INPLACE and why', async () => {
    const recorded = await addColumnOn(server!.mysql, backups.path);
    assert.equal(recorded.ok, true);
    assert.equal(recorded.algorithm, 'INPLACE');
    assert.match(recorded.note, /^INSTANT refused: .*ALGORITHM=INSTANT is not supported/);
    // What the server itself received: the refused INSTANT attempt, then the online INPLACE one.
    const alters = (await server!.generalLog()).split('\n').filter((l) => /Query\s+ALTER TABLE .* ADD COLUMN `benchmark_context`/.test(l));
    assert.deepEqual(alters.map((l) => /ALGORITHM=\w+(, LOCK=\w+)?$/.exec(l)?.[0]), ['ALGORITHM=INSTANT', 'ALGORITHM=INPLACE, LOCK=NONE']);
  });

  it('the same migration on the machine\'s MariaDB, where INSTANT is allowed, records INSTANT', async () => {
    const recorded = await addColumnOn(MYSQL, backups.path);
    assert.deepEqual(recorded, { algorithm: 'INSTANT', note: '', ok: true });
  });
});
