// A node that fails its health gate during an upgrade, whose old image then fails too; and a downgrade that
// --allow-downgrade lets through. Every outcome is read from the engines and db_tars, not from tars-docker.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cli, freshCluster, LAB_ENV, snapshotContainers } from '../support/lab.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import { history } from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';

/** The lab .env with the node image replaced by the framework's: such a "node" never heartbeats, at any tag. */
function wrongNodeImageEnv(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'td-gate-')), 'wrong-node.env');
  const text = readFileSync(LAB_ENV, 'utf8');
  writeFileSync(file, text.replace(/^NODE_IMAGE=.*$/m, `NODE_IMAGE=${/^FRAMEWORK_IMAGE=(.*)$/m.exec(text)![1]}`), { mode: 0o600 });
  return file;
}

describe('upgrade with a node that fails its gate', () => {
  before(async () => {
    await freshCluster(FROM);
  });

  it('stops at the first node, says that rolling it back failed too, and leaves the next node alone', async () => {
    const before = await snapshotContainers();
    const since = await mysqlNow();
    try {
      const r = await cli(['upgrade', '--to', TO, '--yes', '--health-timeout', '8'], { envFile: wrongNodeImageEnv() });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr.split('\n')[0]!, new RegExp(`^tars-docker: h3: not healthy after 8s: .*; rolling back to ${FROM.replace(/\./g, '\\.')} failed too: .*not healthy after 8s`));
      // Independently: master and slave moved and heartbeat at TO, h3 is not a working node, h4 was never touched.
      assert.deepEqual(await hostProblems({ version: TO, since, hosts: ['h1', 'h2'] }), []);
      assert.notDeepEqual(await hostProblems({ version: FROM, since, hosts: ['h3'] }), []);
      const after = await snapshotContainers();
      assert.deepEqual(after.find((c) => c.host === 'h4'), before.find((c) => c.host === 'h4'));
      const [last] = await history();
      assert.equal(last?.kind, 'upgrade');
      assert.ok(last?.hosts.some((h) => `${h.name} ${h.outcome}` === 'h3 failed'), JSON.stringify(last));
    } finally {
      // With the right image the same upgrade brings every host to TO.
      const fixed = await mysqlNow();
      const r = await cli(['upgrade', '--to', TO, '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await hostProblems({ version: TO, since: fixed, hosts: ['h3', 'h4'] }), []);
    }
  });

  it(`upgrade --to ${FROM} --allow-downgrade moves every host back down`, async () => {
    const since = await mysqlNow();
    const r = await cli(['--json', 'upgrade', '--to', FROM, '--allow-downgrade', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { result: { outcome: string; from: string } };
    assert.deepEqual([doc.result.outcome, doc.result.from], ['succeeded', TO]);
    assert.deepEqual(await hostProblems({ version: FROM, since }), []);
  });
});
