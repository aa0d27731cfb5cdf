import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { TarsDockerError } from '../../src/errors.js';
import { openConnection, withConnection } from '../../src/db/connection.js';
import { lockName } from '../../src/db/migrate/db-lock.js';
import { applyMigration, planMigration, type MigrateEvent } from '../../src/db/migrate/migrate.js';
import { MYSQL, OLDEST_SCHEMA, createSeeded, dropPrefixed, labSchema, newPrefix, tempDir } from './helpers.js';

describe('concurrent applies', () => {
  const prefix = newPrefix('conc');
  let backups: Awaited<ReturnType<typeof tempDir>>;
  before(async () => { backups = await tempDir('conc'); });
  after(async () => { await dropPrefixed(prefix); await backups.remove(); });

  it('never interleave: the second waits for the lock, then finds nothing left to do', async () => {
    const databases = await createSeeded(prefix, OLDEST_SCHEMA, backups.path);
    const input = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
    const log: string[] = [];
    const record = (who: string) => (e: MigrateEvent) => {
      if (e.type === 'locked') log.push(`${who} locked`);
      if (e.type === 'step-started') log.push(`${who} start ${e.step.id}`);
      if (e.type === 'step-finished') log.push(`${who} end ${e.result.step.id}`);
    };
    const [a, b] = await Promise.all([
      applyMigration(input, { backupDir: backups.path, onEvent: record('A') }),
      applyMigration(input, { backupDir: backups.path, onEvent: record('B') }),
    ]);
    assert.ok(a.ok && b.ok);
    const applied = [a, b].map((r) => r.databases.reduce((n, d) => n + d.applied.length, 0)).sort();
    assert.deepEqual(applied, [0, 8]);
    const winner = log[0]!.slice(0, 1);
    const loser = winner === 'A' ? 'B' : 'A';
    const lastWinner = log.map((l) => l.startsWith(winner)).lastIndexOf(true);
    assert.equal(log.indexOf(`${loser} locked`), lastWinner + 1, log.join('\n'));
    assert.ok(!log.some((l) => l.startsWith(`${loser} start`)));
    const steps = await withConnection(MYSQL, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(`SELECT COUNT(*) AS n, COUNT(DISTINCT step_id) AS d FROM \`${databases[0]!.live}\`.tars_docker_migrations WHERE version='v3.0.16'`);
      return rows[0];
    });
    assert.deepEqual([Number(steps!.n), Number(steps!.d)], [6, 6]);
  });

  it('a run that cannot get the lock in time fails with a clear line and changes nothing', async () => {
    const other = newPrefix('lock');
    const databases = [{ target: 'db_user_system' as const, live: `${other}db_user_system` }];
    const holder = await openConnection(MYSQL);
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [lockName(databases[0]!.live)]);
      const input = { mysql: MYSQL, databases, schemaFiles: await labSchema('v3.0.16'), version: 'v3.0.16' };
      // The holder never lets go: the run gives up after its own lockWaitSeconds, which its message states.
      await assert.rejects(applyMigration(input, { backupDir: backups.path, lockWaitSeconds: 1 }), (err: unknown) =>
        err instanceof TarsDockerError && err.message === `database ${databases[0]!.live} is being migrated by another run (lock tars-docker.migrate.${databases[0]!.live} still held after 1s); try again when it has finished`);
      assert.equal((await planMigration(input)).databases[0]!.createDatabase, true);
    } finally {
      await holder.end();
      await dropPrefixed(other);
    }
  });
});
