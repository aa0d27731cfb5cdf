import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { openConnection, withConnection } from '../../src/db/connection.js';
import { runCli, type CliResult } from '../support/cli.js';
import { writeOfflineInventory } from '../support/offline-inventory.js';
import { MYSQL, dropPrefixed, newPrefix, tempDir } from './helpers.js';

describe('backup create of two databases through the CLI', () => {
  const prefix = newPrefix('stopped');
  const [first, second] = [`${prefix}a`, `${prefix}b`];
  // Its own account, so the connections to drop are exactly the backup's.
  const user = `tdm_stop_${process.pid}`;
  const password = `pw-${process.pid}-secret`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let args: string[];
  before(async () => {
    dir = await tempDir('stopped');
    await withConnection(MYSQL, async (c) => {
      for (const db of [first, second]) {
        await c.query(`CREATE DATABASE \`${db}\``);
        // utf8mb4, whatever the server's default: rows this program sums itself, so no lock connection is opened
        // and the one connection that waits behind the lock below is the reader of the rows.
        await c.query(`CREATE TABLE \`${db}\`.t (id int PRIMARY KEY, v varchar(20)) DEFAULT CHARSET=utf8mb4`);
        await c.query(`INSERT INTO \`${db}\`.t VALUES (1, 'one'), (2, 'two')`);
      }
      await c.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
      await c.query('GRANT ALL ON *.* TO ?@?', [user, '%']);
    });
    const env = join(dir.path, '.env');
    await writeFile(env, `MYSQL_HOST=${MYSQL.host}\nMYSQL_PORT=${MYSQL.port}\nMYSQL_USER=${user}\nMYSQL_ROOT_PASSWORD=${password}\nREBUILD=false\n`, { mode: 0o600 });
    args = ['--env-file', env, '--inventory', writeOfflineInventory(dir.path)];
  });
  after(async () => {
    await withConnection(MYSQL, (c) => c.query('DROP USER IF EXISTS ?@?', [user, '%']));
    await dropPrefixed(prefix);
    await dir.remove();
  });

  it('backs up both databases of a repeated --db, as of one comma-separated list', async () => {
    const repeated = await runCli([...args, '--json', 'backup', 'create', '--db', first, '--db', second, '--other-db', '--backup-dir', join(dir.path, 'repeated')]);
    const listed = await runCli([...args, '--json', 'backup', 'create', '--db', `${first},${second},${first}`, '--other-db', '--backup-dir', join(dir.path, 'listed')]);
    for (const r of [repeated, listed]) {
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { databases: { name: string; tables: { rows: number }[] }[] };
      assert.deepEqual(doc.databases.map((d) => [d.name, d.tables[0]!.rows]), [[first, 2], [second, 2]]);
    }
  });

  // The server drops the backup's connection part way: one line naming the server, exit 1, nothing kept.
  it('fails with exit 1 and one line naming the server, keeps no backup and leaves no staging behind', async () => {
    const backupDir = join(dir.path, 'backups');
    // The first database is backed up; the read of the second waits behind this write lock. That waiting
    // connection is dropped by the server, as a restart or a KILL would.
    const holder = await openConnection(MYSQL);
    try {
      await holder.query(`LOCK TABLES \`${second}\`.t WRITE`);
      const run = runCli([...args, '--json', 'backup', 'create', '--db', first, '--db', second, '--other-db', '--backup-dir', backupDir]);
      const waiting = await waitForLockWaiter(user, run);
      await withConnection(MYSQL, (c) => c.query(`KILL CONNECTION ${waiting}`));
      await holder.query('UNLOCK TABLES');
      const result = await run;
      assert.equal(result.code, 1, result.stderr);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, new RegExp(`^tars-docker: mysql ${MYSQL.host}:${MYSQL.port}: backup stopped, no backup was kept: Connection lost`), 'the first failure is named, not a later one');
      assert.doesNotMatch(result.stderr + result.stdout, /unexpected error/);
      assert.ok(!(result.stderr + result.stdout).includes(password), 'the password is not printed');
      const doc = JSON.parse(result.stdout) as { error: { code: number; message: string; host: string } };
      assert.equal(doc.error.code, 1);
      assert.equal(doc.error.host, `mysql ${MYSQL.host}:${MYSQL.port}`);
      assert.deepEqual(await readdir(backupDir), [], 'no backup and no staging folder is left');
    } finally {
      await holder.end().catch(() => holder.destroy());
    }
  });
});

/**
 * The id of the account's connection whose read of rows waits for a table lock. The server says so only in its
 * process list, so that is read until the waiter shows up, or until the backup ends without ever waiting, which
 * fails the test with the backup's own output.
 */
async function waitForLockWaiter(user: string, run: Promise<CliResult>): Promise<number> {
  let ended: CliResult | undefined;
  void run.then((r) => (ended = r));
  return withConnection(MYSQL, async (c) => {
    for (;;) {
      const [rows] = await c.query<RowDataPacket[]>(
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? AND STATE LIKE 'Waiting for table%lock' AND INFO LIKE 'SELECT%'", [user]);
      if (rows[0]) return Number(rows[0].id);
      if (ended) throw new Error(`the backup ended (exit ${ended.code}) before its read waited for the lock: ${ended.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}
