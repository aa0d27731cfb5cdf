// Issue 12 item 6: the master's own start changes the databases. TarsWeb's model sync narrows
// db_tars.t_node_info.endpoint_ip to varchar(16) (cutting IPv6 addresses), mysql-tool --upgrade adds columns, and
// TarsWeb sweeps expired login tickets. An upgrade reports the narrowing with the rows it cut and the backup that
// holds them, and never calls the swept tickets lost. A one-master cluster keeps it short.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type mysql from 'mysql2/promise';
import { openConnection } from '../../src/db/connection.js';
import { cli, labConfig, labInventoryText, wipeCluster } from '../support/lab.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import { history, startCli } from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';
const IPV6 = 'fd00:0:0:0:0:0:0:7';

/** The backup an upgrade takes of db_tars, db_tars_web and db_user_system (the migration takes its own of the web pair). */
function fullBackup(dir: string): string {
  const ids = readdirSync(dir).filter((id) => (JSON.parse(readFileSync(join(dir, id, 'manifest.json'), 'utf8')) as { databases: unknown[] }).databases.length === 3);
  assert.equal(ids.length, 1, `one backup of the three databases in ${dir}: ${ids.join(', ')}`);
  return ids[0]!;
}

function masterOnlyInventory(): string {
  const text = labInventoryText();
  const file = join(mkdtempSync(join(tmpdir(), 'td-master-db-')), 'tars-docker.yml');
  writeFileSync(file, text.slice(0, text.indexOf('  - name: h2')));
  return file;
}

/** What upgrade2IPv6.sh (TarsFramework deploy/framework/sql) does so a node can register with an IPv6 address. */
async function ipv6Node(db: mysql.Connection): Promise<void> {
  await db.query("ALTER TABLE db_tars.t_node_info MODIFY endpoint_ip varchar(50) DEFAULT ''");
  await db.query("DELETE FROM db_tars.t_node_info WHERE node_name = 'fd00::7'");
  await db.query(
    "INSERT INTO db_tars.t_node_info (node_name, node_obj, endpoint_ip, endpoint_port, present_state) VALUES ('fd00::7', '', ?, 19385, 'inactive')",
    [IPV6],
  );
}

async function tickets(db: mysql.Connection): Promise<string[]> {
  const [rows] = await db.query<mysql.RowDataPacket[]>("SELECT ticket FROM db_user_system.t_login_temp_info WHERE ticket LIKE 'td-%' ORDER BY ticket");
  return rows.map((r) => String(r.ticket));
}

interface MasterDb {
  changes: { database: string; table: string; column?: string; kind: string; from?: string; to?: string }[];
  cut: { table: string; column: string; row: Record<string, string>; was: string; now: string | null }[];
  backupPath: string | null;
}

describe("the master's start changes the databases", () => {
  const inventory = masterOnlyInventory();
  let db: mysql.Connection;

  before(async () => {
    await wipeCluster();
    const since = await mysqlNow();
    const r = await cli(['--json', 'install', '--version', FROM], { inventory });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await hostProblems({ version: FROM, since, hosts: ['h1'] }), []);
    db = await openConnection(labConfig().mysql, { values: 'native' });
  });
  after(async () => {
    await db?.end();
  });

  it('the install already ran TarsWeb\'s sync: endpoint_ip varchar(16), t_token.uid varchar(64)', async () => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE) AS c FROM information_schema.COLUMNS
        WHERE (TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME) IN (('db_tars', 't_node_info', 'endpoint_ip'), ('db_user_system', 't_token', 'uid')) ORDER BY c`,
    );
    assert.deepEqual(rows.map((r) => r.c), ['t_node_info.endpoint_ip varchar(16)', 't_token.uid varchar(64)']);
  });

  it(`upgrade --to ${TO} reports the cut IPv6 endpoint_ip with the backup that holds it; tickets that expire meanwhile are no rows lost`, async () => {
    await ipv6Node(db);
    // The master sweeps expired tickets at start and every minute. Holding the first ticket row locked stops the
    // running master's sweep from reaching the two expired ones before the backup; they go once the lock is let go
    // (at the restart, after the backup and its row counts).
    await db.query("DELETE FROM db_user_system.t_login_temp_info WHERE ticket LIKE 'td-%'");
    await db.query("INSERT INTO db_user_system.t_login_temp_info (ticket, uid, expire_time) VALUES ('td-live-0', 'admin', NOW() + INTERVAL 1 DAY)");
    const holder = await openConnection(labConfig().mysql, { values: 'native' });
    await holder.query('START TRANSACTION');
    await holder.query("SELECT id FROM db_user_system.t_login_temp_info ORDER BY id LIMIT 1 FOR UPDATE");
    await db.query(
      `INSERT INTO db_user_system.t_login_temp_info (ticket, uid, expire_time) VALUES
         ('td-gone-1', 'admin', NOW() - INTERVAL 1 HOUR), ('td-gone-2', 'admin', NOW() - INTERVAL 1 HOUR),
         ('td-live-1', 'admin', NOW() + INTERVAL 1 DAY)`,
    );
    const backupDir = mkdtempSync(join(tmpdir(), 'td-master-db-backups-'));
    const barriers = mkdtempSync(join(tmpdir(), 'td-barrier-'));
    let released = false;
    const release = async () => {
      for (const name of readdirSync(barriers)) {
        if (name === 'h1.created' && !released) {
          released = true;
          await holder.query('COMMIT');
        }
        rmSync(join(barriers, name), { force: true });
      }
    };
    const watcher = watch(barriers, () => void release());
    const run = startCli(['upgrade', '--to', TO, '--yes', '--backup-dir', backupDir], { TARS_DOCKER_TEST_BARRIER: barriers }, { inventory });
    const r = await run.done;
    watcher.close();
    rmSync(barriers, { recursive: true, force: true });
    await holder.end();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(released, 'the run stopped at h1.created');
    assert.deepEqual(await tickets(db), ['td-live-0', 'td-live-1'], 'the master swept the expired tickets');

    const backup = fullBackup(backupDir);
    const backupPath = join(backupDir, backup);
    // the listr2 output and the closing summary
    assert.match(r.stdout, /db_tars\.t_node_info\.endpoint_ip narrowed varchar\(50\) -> varchar\(16\)/);
    assert.match(r.stdout, new RegExp(`node_name=fd00::7: endpoint_ip '${IPV6}' is now '${IPV6.slice(0, 16)}'`));
    assert.ok(r.stdout.includes(`backup ${backup} at ${backupPath} holds the data as it was before`), r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /rows lost/);
    // mysql-tool --upgrade of TarsFramework 3.0.12 added what db_tars lacked
    assert.match(r.stdout, /db_tars\.t_server_conf\.run_type added \(varchar\(128\)\)/);

    const [last] = await history();
    assert.equal(last!.outcome, 'succeeded');
    assert.match(last!.message ?? '', /db_tars\.t_node_info\.endpoint_ip narrowed varchar\(50\) -> varchar\(16\)/);
    assert.ok(last!.message!.includes(`endpoint_ip '${IPV6}' is now`) && last!.message!.includes(backupPath), last!.message!);
  });

  it(`rollback, then upgrade --json: the result names every change the start made and the cut row`, async () => {
    const back = await cli(['rollback', '--yes', '--to', FROM], { inventory });
    assert.equal(back.code, 0, back.stderr);
    await ipv6Node(db);
    const backupDir = mkdtempSync(join(tmpdir(), 'td-master-db-backups-'));
    const r = await cli(['--json', 'upgrade', '--to', TO, '--yes', '--backup-dir', backupDir], { inventory });
    assert.equal(r.code, 0, r.stderr);
    const result = (JSON.parse(r.stdout) as { result: { masterDb: MasterDb } }).result.masterDb;
    const narrowed = result.changes.filter((c) => c.kind === 'narrowed').map((c) => `${c.database}.${c.table}.${c.column} ${c.from} -> ${c.to}`);
    // t_token.uid stays at the varchar(64) of TarsWeb's model: the migration no longer widens it for the sync to undo
    assert.deepEqual(narrowed.sort(), ['db_tars.t_node_info.endpoint_ip varchar(50) -> varchar(16)']);
    assert.deepEqual(result.cut.map((c) => `${c.table}.${c.column} ${c.row.node_name} ${c.was} -> ${c.now}`), [`t_node_info.endpoint_ip fd00::7 ${IPV6} -> ${IPV6.slice(0, 16)}`]);
    assert.equal(result.backupPath, join(backupDir, fullBackup(backupDir)));
  });
});
