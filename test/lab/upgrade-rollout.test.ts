// Issue 6, "Done when": a real rolling upgrade of the lab cluster (master, slave, two nodes) with data in both web
// databases, a release that never becomes healthy, an explicit rollback, and a second upgrade refused while one runs.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LAB_BAD_VERSION } from '../../src/lab/images.js';
import { openConnection } from '../../src/db/connection.js';
import { cli, freshCluster, labConfig, snapshotContainers, useStandinSpeed } from '../support/lab.js';
import { dataVolumes, hostProblems, mysqlNow } from '../support/outcome.js';
import { overlap, stopWindows, type StopWindow } from '../support/stop-windows.js';
import {
  fingerprint, followJournal, history, seedWebData, startCli, startRegistryProbe, status, totalRows, type Fingerprint,
} from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';

function windowsOf(windows: StopWindow[], names: string[]): StopWindow[] {
  return names.map((n) => {
    const w = windows.find((x) => x.host === n);
    assert.ok(w, `${n} was stopped and started again: ${JSON.stringify(windows)}`);
    return w;
  });
}

describe('upgrade and rollback on the lab', () => {
  let data: Fingerprint;
  // the upgrade and the rollback run at the real images' speed; whatever happens, the next file gets the suite's
  after(() => useStandinSpeed('fast').then(() => undefined));

  before(async () => {
    await freshCluster(FROM);
    await seedWebData(300);
    data = await fingerprint();
    assert.ok(totalRows(data) >= 3000, `seeded ${totalRows(data)} rows`);
  });

  it(`upgrade --to ${TO} --batch 2 (real intervals and start) moves every host, keeps every row and a registry up at every moment`, async () => {
    await useStandinSpeed('real');
    const config = labConfig();
    const framework = config.hosts.filter((h) => h.role !== 'node').map((h) => h.address);
    const volumes = await dataVolumes();
    const backupDir = mkdtempSync(join(tmpdir(), 'td-upgrade-backups-'));
    const since = await mysqlNow();
    const t0 = Date.now();
    const probe = startRegistryProbe(framework);
    const r = await cli(['--json', 'upgrade', '--to', TO, '--yes', '--batch', '2', '--backup-dir', backupDir]);
    const ticks = await probe.stop();
    const windows = await stopWindows(t0, Date.now());
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { result: { outcome: string; from: string; hosts: { name: string; outcome: string }[] } };
    assert.equal(doc.result.outcome, 'succeeded');
    assert.equal(doc.result.from, FROM);
    // the two nodes of one batch finish in either order
    assert.deepEqual(doc.result.hosts.map((h) => `${h.name} ${h.outcome}`).sort(), config.hosts.map((h) => `${h.name} restarted`).sort());

    assert.deepEqual(await hostProblems({ version: TO, since }), [], 'every container and heartbeat, read past tars-docker');
    assert.deepEqual(await dataVolumes(), volumes, 'each recreated container has its old data volume');
    // --batch 2: both nodes are down together, after the master and then the slave were each down alone.
    const [h1, h2, h3, h4] = windowsOf(windows, ['h1', 'h2', 'h3', 'h4']);
    assert.ok(overlap(h3!, h4!), `the two nodes restart together: ${JSON.stringify(windows)}`);
    assert.ok(h1!.started < h2!.died && h2!.started < Math.min(h3!.died, h4!.died), `master, then slave, then nodes: ${JSON.stringify(windows)}`);
    // --backup-dir: the backup taken before the master restarted is there, with the three databases. The migration
    // takes its own of the web pair only when it has steps.
    const backups = readdirSync(backupDir).map((id) => JSON.parse(readFileSync(join(backupDir, id, 'manifest.json'), 'utf8')) as { databases: { name: string }[] });
    const full = backups.filter((m) => m.databases.length === 3);
    assert.equal(full.length, 1, `one backup of the three databases in ${backupDir}: ${JSON.stringify(backups)}`);
    assert.deepEqual(full[0]!.databases.map((d) => d.name).sort(), ['db_tars', 'db_tars_web', 'db_user_system']);
    assert.equal((await status()).healthy, true);

    assert.deepEqual(await fingerprint(data), data, 'row counts and checksums of the web databases');

    assert.ok(ticks.length > 50, `${ticks.length} probe ticks`);
    const dark = ticks.filter((t) => !t.open.some(Boolean));
    assert.deepEqual(dark.map((t) => new Date(t.at).toISOString()), [], 'moments with no registry accepting on 17890');
    // the probe saw each framework host restart, so it would have seen an outage too
    framework.forEach((addr, i) => assert.ok(ticks.some((t) => !t.open[i]), `${addr}:17890 never seen closed`));
    await useStandinSpeed('fast');
  });

  it(`upgrade --to ${LAB_BAD_VERSION} (never healthy) exits 1 naming the master, and puts it back`, async () => {
    const beforeRun = await snapshotContainers();
    const since = await mysqlNow();
    const r = await cli(['upgrade', '--to', LAB_BAD_VERSION, '--yes', '--health-timeout', '20']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0]!, /^tars-docker: h1: not healthy after 20s: .*no heartbeat.*rolled back to v3\.0\.16/);
    assert.ok(lines.length > 1, 'log lines follow');
    assert.ok(lines.slice(1).every((l) => l.startsWith('  | ')), lines.join('\n'));
    assert.ok(lines.some((l) => /tarsregistry: failed to start/.test(l)), 'the container log says why');

    assert.deepEqual(await hostProblems({ version: TO, since }), []);
    const after = await snapshotContainers();
    // only the master was touched: the others never stopped
    assert.deepEqual(after.slice(1), beforeRun.slice(1));
    assert.notEqual(after[0]!.startedAt, beforeRun[0]!.startedAt);

    const [last] = await history();
    assert.equal(last!.kind, 'upgrade');
    assert.equal(`${last!.from} -> ${last!.to}`, `${TO} -> ${LAB_BAD_VERSION}`);
    assert.equal(last!.outcome, 'rolled-back');
    assert.match(last!.message ?? '', /^h1: not healthy/);
    assert.deepEqual(last!.hosts.map((h) => `${h.name} ${h.outcome}`), ['h1 rolled-back']);
    assert.deepEqual(await fingerprint(data), data);
  });

  it(`rollback without --to (real intervals and start) goes back to ${FROM}, where the last successful upgrade started, one node at a time`, async () => {
    await useStandinSpeed('real');
    const since = await mysqlNow();
    const t0 = Date.now();
    const r = await cli(['rollback', '--yes']);
    const windows = await stopWindows(t0, Date.now());
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await hostProblems({ version: FROM, since }), []);
    const [h3, h4] = windowsOf(windows, ['h3', 'h4']);
    assert.ok(!overlap(h3!, h4!), `without --batch one node is down at a time: ${JSON.stringify(windows)}`);
    const [last] = await history();
    assert.equal(last!.kind, 'rollback');
    assert.equal(`${last!.from} -> ${last!.to}`, `${TO} -> ${FROM}`);
    assert.equal(last!.outcome, 'succeeded');
    assert.deepEqual(last!.hosts.map((h) => h.name), ['h1', 'h2', 'h3', 'h4']);
    assert.deepEqual(await fingerprint(data), data);
    await useStandinSpeed('fast');
  });

  it('a second upgrade while one runs is refused with who, when and what holds the lock', async () => {
    // The first run is held inside its lock: once it restarts the master, the test read-locks t_registry_info, so
    // the new master cannot write the heartbeat its health gate waits for until the test lets go.
    const db = await openConnection(labConfig().mysql, { values: 'native' });
    let locked = false;
    let first: ReturnType<typeof startCli> | undefined;
    try {
      const since = await mysqlNow();
      first = startCli(['upgrade', '--to', TO, '--yes']);
      const run = first;
      const restarting = new Promise<boolean>((ok) => {
        const stop = followJournal((e) => {
          if (e.event === 'step-start' && e.step === 'restart:h1') {
            stop();
            ok(true);
          }
        });
        void run.done.then(() => ok(false));
      });
      if (await restarting) {
        await db.query('LOCK TABLES db_tars.t_registry_info READ');
        locked = true;
      }
      assert.ok(locked, 'the first run reached restart:h1');
      const second = await cli(['upgrade', '--to', TO, '--yes']);
      assert.equal(first.child.exitCode, null, 'the first run was still running when the second was refused');
      await db.query('UNLOCK TABLES');
      locked = false;
      const done = await first.done;
      assert.equal(done.code, 0, done.stderr);
      assert.equal(second.code, 1, second.stderr);
      const lines = second.stderr.trim().split('\n');
      assert.equal(lines.length, 1, second.stderr);
      assert.match(lines[0]!, new RegExp(`another rollout is running: upgrade ${FROM} -> ${TO} by \\S+ pid ${first.child.pid} since \\d{4}-\\d\\d-\\d\\dT`));
      // the lock is gone with the first run: the cluster is where it sent it, and nothing is left to do
      assert.deepEqual(await hostProblems({ version: TO, since }), []);
      const again = await cli(['upgrade', '--to', TO, '--yes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /nothing to do/);
      assert.deepEqual(await fingerprint(data), data);
    } finally {
      if (locked) await db.query('UNLOCK TABLES');
      await db.end();
      await first?.done;
    }
  });
});
