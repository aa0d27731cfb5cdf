// Issue 6, "Done when": a real rolling upgrade of the lab cluster (master, slave, two nodes) with data in both web
// databases, a release that never becomes healthy, an explicit rollback, and a second upgrade refused while one runs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { LAB_BAD_VERSION } from '../../src/lab/images.js';
import { cli, freshCluster, labConfig, snapshotContainers } from '../support/lab.js';
import {
  clusterProblems, fingerprint, followJournal, history, labelledContainers, seedWebData, startCli, startRegistryProbe,
  status, totalRows, type Fingerprint,
} from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';

describe('upgrade and rollback on the lab', () => {
  let data: Fingerprint;

  before(async () => {
    await freshCluster(FROM);
    await seedWebData(300);
    data = await fingerprint();
    assert.ok(totalRows(data) >= 3000, `seeded ${totalRows(data)} rows`);
  });

  it(`upgrade --to ${TO} moves every host, keeps every row and a registry up at every moment`, async () => {
    const config = labConfig();
    const framework = config.hosts.filter((h) => h.role !== 'node').map((h) => h.address);
    const probe = startRegistryProbe(framework);
    const r = await cli(['--json', 'upgrade', '--to', TO, '--yes']);
    const ticks = await probe.stop();
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { result: { outcome: string; from: string; hosts: { name: string; outcome: string }[] } };
    assert.equal(doc.result.outcome, 'succeeded');
    assert.equal(doc.result.from, FROM);
    assert.deepEqual(doc.result.hosts.map((h) => `${h.name} ${h.outcome}`), config.hosts.map((h) => `${h.name} restarted`));

    const s = await status();
    assert.deepEqual(clusterProblems(s, TO), []);
    assert.equal(s.healthy, true);

    assert.deepEqual(await fingerprint(data), data, 'row counts and checksums of the web databases');

    assert.ok(ticks.length > 50, `${ticks.length} probe ticks`);
    const dark = ticks.filter((t) => !t.open.some(Boolean));
    assert.deepEqual(dark.map((t) => new Date(t.at).toISOString()), [], 'moments with no registry accepting on 17890');
    // the probe saw each framework host restart, so it would have seen an outage too
    framework.forEach((addr, i) => assert.ok(ticks.some((t) => !t.open[i]), `${addr}:17890 never seen closed`));

    for (const { host, containers } of await labelledContainers()) {
      assert.ok(containers.length > 0, `${host} has a container`);
      for (const c of containers) {
        assert.ok(c.env.includes('REBUILD=false'), `${host} ${c.name}: REBUILD=false in ${c.env.filter((e) => e.startsWith('REBUILD')).join(',') || 'no REBUILD'}`);
      }
    }
  });

  it(`upgrade --to ${LAB_BAD_VERSION} (never healthy) exits 1 naming the master, and puts it back`, async () => {
    const beforeRun = await snapshotContainers();
    const r = await cli(['upgrade', '--to', LAB_BAD_VERSION, '--yes', '--health-timeout', '20']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0]!, /^tars-docker: h1: not healthy after 20s: .*no heartbeat.*rolled back to v3\.0\.16/);
    assert.ok(lines.length > 1, 'log lines follow');
    assert.ok(lines.slice(1).every((l) => l.startsWith('  | ')), lines.join('\n'));
    assert.ok(lines.some((l) => /tarsregistry: failed to start/.test(l)), 'the container log says why');

    const s = await status();
    assert.deepEqual(clusterProblems(s, TO), []);
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

  it(`rollback --to ${FROM} moves every host back and history shows it`, async () => {
    const r = await cli(['rollback', '--to', FROM, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(clusterProblems(await status(), FROM), []);
    const [last] = await history();
    assert.equal(last!.kind, 'rollback');
    assert.equal(`${last!.from} -> ${last!.to}`, `${TO} -> ${FROM}`);
    assert.equal(last!.outcome, 'succeeded');
    assert.deepEqual(last!.hosts.map((h) => h.name), ['h1', 'h2', 'h3', 'h4']);
    assert.deepEqual(await fingerprint(data), data);
  });

  it('a second upgrade while one runs is refused with who, when and what holds the lock', async () => {
    const first = startCli(['upgrade', '--to', TO, '--yes']);
    // start the second once the first holds the lock and is restarting the master
    const restarting = new Promise<void>((ok) => {
      const stop = followJournal((e) => {
        if (e.event === 'step-start' && e.step === 'restart:h1') {
          stop();
          ok();
        }
      });
    });
    await Promise.race([restarting, first.done]);
    const second = await cli(['upgrade', '--to', TO, '--yes']);
    const done = await first.done;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(second.code, 1, second.stderr);
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0]!, new RegExp(`another rollout is running: upgrade ${FROM} -> ${TO} by \\S+ pid ${first.child.pid} since \\d{4}-\\d\\d-\\d\\dT`));
    // the lock is gone with the first run: the cluster is where it sent it, and nothing is left to do
    assert.deepEqual(clusterProblems(await status(), TO), []);
    const again = await cli(['upgrade', '--to', TO, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.deepEqual(await fingerprint(data), data);
  });
});
