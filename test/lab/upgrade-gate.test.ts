// A node that fails its health gate during an upgrade and goes back to its exact previous container; one whose way
// back fails too; a slave that cannot reach MySQL and fails its gate, in an upgrade and in a rollback with its own
// --health-timeout; and a downgrade that --allow-downgrade lets through.
// Every outcome is read from the engines and db_tars, not from tars-docker.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { openConnection } from '../../src/db/connection.js';
import { cli, freshCluster, LAB_ENV, labConfig, snapshotContainers } from '../support/lab.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import { followJournal, history, startCli } from '../support/rollout.js';
import type { CliResult } from '../support/cli.js';
import type { HostConfig } from '../../src/config/types.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';

/** The lab .env with the node image replaced by the framework's at TO: such a "node" never heartbeats. */
function wrongNodeImageEnv(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'td-gate-')), 'wrong-node.env');
  const text = readFileSync(LAB_ENV, 'utf8');
  const wrong = text.replace(/^NODE_IMAGE=.*$/m, `NODE_IMAGE=${/^FRAMEWORK_IMAGE=(.*)$/m.exec(text)![1]}`).replace(/^NODE_TAG=.*$/m, `NODE_TAG=${TO}`);
  writeFileSync(file, wrong, { mode: 0o600 });
  return file;
}

describe('upgrade with a host that fails its gate', () => {
  before(async () => {
    await freshCluster(FROM);
  });

  it('a node that fails its gate goes back to its exact previous container, and the next node is left alone', async () => {
    const before = await snapshotContainers();
    const since = await mysqlNow();
    const r = await cli(['upgrade', '--to', TO, '--yes', '--health-timeout', '8'], { envFile: wrongNodeImageEnv() });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /^tars-docker: h3: not healthy after 8s: .*; rolled back to latest \(its previous container/);
    // Independently: master and slave moved, h3 runs its very container from before (and heartbeats), h4 was never touched.
    assert.deepEqual(await hostProblems({ version: TO, since, hosts: ['h1', 'h2'] }), []);
    // its tarsnode comes from the master, which now serves TO
    assert.deepEqual(await hostProblems({ version: FROM, since, hosts: ['h3'], heartbeatVersion: TO }), []);
    const after = await snapshotContainers();
    assert.equal(after.find((c) => c.host === 'h3')?.id, before.find((c) => c.host === 'h3')?.id, 'the same container is back');
    assert.deepEqual(after.find((c) => c.host === 'h4'), before.find((c) => c.host === 'h4'));
    const [last] = await history();
    assert.equal(last?.kind, 'upgrade');
    assert.deepEqual(last?.hosts.map((h) => `${h.name} ${h.outcome}`), ['h1 restarted', 'h2 restarted', 'h3 rolled-back']);
  });

  it('when going back fails too (the test keeps t_node_info read-locked through both gates) it says so', async () => {
    const db = await openConnection(labConfig().mysql, { values: 'native' });
    let lock: Promise<unknown> | undefined;
    const stop = followJournal((e) => {
      if (e.event === 'step-start' && e.step === 'restart:h3') lock ??= db.query('LOCK TABLES db_tars.t_node_info READ');
    });
    // the wrong node image again, so h3 is recreated (a node whose image stays is restarted in place, with no way back)
    const run = startCli(['upgrade', '--to', TO, '--yes', '--health-timeout', '8'], {}, { envFile: wrongNodeImageEnv() });
    try {
      const r = await run.done;
      assert.ok(lock, 'the run reached restart:h3');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr.split('\n')[0]!, /^tars-docker: h3: not healthy after 8s: .*; going back to \S+:latest failed too: .*not healthy after 8s/);
      const [last] = await history();
      assert.ok(last?.hosts.some((h) => `${h.name} ${h.outcome}` === 'h3 failed'), JSON.stringify(last));
    } finally {
      stop();
      await lock;
      await db.query('UNLOCK TABLES');
      await run.done;
      await db.end();
    }
    // With the gate open again the same upgrade brings every host to TO.
    const fixed = await mysqlNow();
    const again = await cli(['upgrade', '--to', TO, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await hostProblems({ version: TO, since: fixed, hosts: ['h3', 'h4'] }), []);
  });

  it(`upgrade --to ${FROM} --allow-downgrade moves every host back down`, async () => {
    const since = await mysqlNow();
    const r = await cli(['--json', 'upgrade', '--to', FROM, '--allow-downgrade', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { result: { outcome: string; from: string } };
    assert.deepEqual([doc.result.outcome, doc.result.from], ['succeeded', TO]);
    assert.deepEqual(await hostProblems({ version: FROM, since }), []);
  });

  /**
   * Runs `args` with the slave's gate held shut by the test: when the slave's restart starts, an account for the
   * slave's own address with another password makes MySQL refuse the new container (as the real check_mysql, it
   * waits forever and never heartbeats); when the engine starts the image labelled `backTo` again, the account goes.
   */
  async function withSlaveRefused(args: string[], backTo: string): Promise<CliResult> {
    const slave = slaveHost();
    const db = await openConnection(labConfig().mysql, { values: 'native' });
    const conn = await connectEngine(slave);
    const events = (await conn.docker.getEvents({ filters: { type: ['container'], event: ['start'], label: [`io.tars-docker.version=${backTo}`] } })) as NodeJS.ReadableStream & { destroy(): void };
    const oldImageStarted = new Promise<void>((ok) => events.once('data', () => ok()));
    const account = `'root'@'${slave.address}'`;
    let refused: Promise<unknown> | undefined;
    const stop = followJournal((e) => {
      if (e.event === 'step-start' && e.step === `restart:${slave.name}`) refused ??= db.query(`CREATE USER ${account} IDENTIFIED BY 'not-the-password'`);
    });
    const run = startCli(args);
    try {
      await Promise.race([oldImageStarted, run.done]);
      assert.ok(refused, `the run reached restart:${slave.name}`);
      await refused;
      await db.query(`DROP USER ${account}`);
      const r = await run.done;
      assert.doesNotMatch(r.stderr, /not-the-password/);
      return r;
    } finally {
      stop();
      events.destroy();
      await refused?.catch(() => undefined);
      await db.query(`DROP USER IF EXISTS ${account}`).catch(() => undefined);
      await run.done;
      await db.end();
      await conn.close();
    }
  }

  function slaveHost(): HostConfig {
    const slave = labConfig().hosts.find((h) => h.role === 'slave');
    assert.ok(slave, 'a slave in the inventory');
    return slave;
  }
  const escaped = (v: string) => v.replace(/\./g, '\\.');

  it('a slave that cannot log in to MySQL fails its gate, says what it saw, and gets its old image back', async () => {
    const slave = slaveHost().name;
    const before = await snapshotContainers();
    const since = await mysqlNow();
    const r = await withSlaveRefused(['upgrade', '--to', TO, '--yes', '--health-timeout', '8'], FROM);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr.split('\n')[0]!,
      new RegExp(`^tars-docker: ${slave}: not healthy after 8s: running \\d+ s, no heartbeat in db_tars\\.t_registry_info \\(its 17890 row\\) since its start; log: .*waiting for MySQL .*; rolled back to ${escaped(FROM)} \\(its previous container .*\\), rollout stopped$`),
    );
    assert.deepEqual(await hostProblems({ version: TO, since, hosts: ['h1'] }), []);
    assert.deepEqual(await hostProblems({ version: FROM, since, hosts: [slave] }), []);
    const after = await snapshotContainers();
    assert.deepEqual(after.filter((c) => c.host === 'h3' || c.host === 'h4'), before.filter((c) => c.host === 'h3' || c.host === 'h4'), 'no node was touched');
    const [last] = await history();
    assert.deepEqual(last?.hosts.map((h) => `${h.name} ${h.outcome}`), ['h1 restarted', `${slave} rolled-back`]);

    const fixed = await mysqlNow();
    const again = await cli(['upgrade', '--to', TO, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await hostProblems({ version: TO, since: fixed, hosts: [slave, 'h3', 'h4'] }), []);
  });

  it(`rollback --to ${FROM} --health-timeout 5: the slave's gate gives up after 5 s and it goes back to ${TO}`, async () => {
    const slave = slaveHost().name;
    const since = await mysqlNow();
    const r = await withSlaveRefused(['rollback', '--to', FROM, '--yes', '--health-timeout', '5'], TO);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, new RegExp(`^tars-docker: ${slave}: not healthy after 5s: .*; rolled back to ${escaped(TO)} \\(its previous container`));
    // the master went down to FROM; the slave is back on TO, by its very container of before, heartbeating
    assert.deepEqual(await hostProblems({ version: FROM, since, hosts: ['h1'] }), []);
    assert.deepEqual(await hostProblems({ version: TO, since, hosts: [slave] }), []);
    const [last] = await history();
    assert.equal(last?.kind, 'rollback');
    assert.deepEqual(last?.hosts.map((h) => `${h.name} ${h.outcome}`), ['h1 restarted', `${slave} rolled-back`]);
  });
});
