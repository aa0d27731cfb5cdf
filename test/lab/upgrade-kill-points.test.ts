// Issue 11, "Done when" (point 7): tars-docker SIGKILLed at every intermediate state of a create-before-stop restart
// (after create, after stop, after the old one stepped aside, after the rename, after the start) leaves a host the
// rerun finishes: exactly one container under the host's name at the end, the old one kept as NAME.previous.
// Each kill lands on a barrier the test controls (the restart waits there until told), never after a delay.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { HostConfig } from '../../src/config/types.js';
import { cli, freshCluster, labConfig } from '../support/lab.js';
import { tarsContainers } from '../support/hand-made.js';
import { clusterProblems, fingerprint, killAtStep, seedWebData, status, type Fingerprint } from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';
const UPGRADE = ['upgrade', '--to', TO, '--yes'];
const config = labConfig();
const [h1, h2] = config.hosts as [HostConfig, HostConfig];

/** `name state tag` of every Tars container of a host, sorted. */
async function states(host: HostConfig): Promise<string[]> {
  return (await tarsContainers(host)).map((c) => `${c.name} ${c.state} ${c.image.slice(c.image.lastIndexOf(':') + 1)}`).sort();
}

describe('a restart killed at each of its points is finished by the rerun', () => {
  let data: Fingerprint;

  before(async () => {
    await freshCluster(FROM);
    await seedWebData(100);
    data = await fingerprint();
  });

  async function killAt(barrier: string, runId?: string): Promise<string> {
    const host = barrier.split('.')[0]!;
    const k = await killAtStep(UPGRADE, `restart:${host}`, { barrier });
    assert.equal(k.result.signal, 'SIGKILL', `killed at ${barrier}; it exited ${k.result.code}: ${k.result.stderr}`);
    assert.ok(k.landed, `the kill landed inside restart:${host}`);
    if (runId) assert.equal(k.runId, runId, 'the rerun resumed the same run');
    return k.runId;
  }

  it('killed after create, after the old one stepped aside, after the rename, after the start, after a stop; then finished', async () => {
    const runId = await killAt('h1.created');
    assert.deepEqual(await states(h1), [`tars-framework running ${FROM}`, `tars-framework.next created ${TO}`]);

    await killAt('h1.moved-aside', runId);
    assert.deepEqual(await states(h1), [`tars-framework.next created ${TO}`, `tars-framework.old exited ${FROM}`]);

    await killAt('h1.renamed', runId);
    assert.deepEqual(await states(h1), [`tars-framework created ${TO}`, `tars-framework.old exited ${FROM}`]);

    await killAt('h1.started', runId);
    assert.deepEqual(await states(h1), [`tars-framework running ${TO}`, `tars-framework.old exited ${FROM}`]);

    // the rerun proves h1 (its start was never gated), then stops at the slave's stop
    await killAt('h2.stopped', runId);
    assert.deepEqual(await states(h1), [`tars-framework running ${TO}`, `tars-framework.previous exited ${FROM}`]);
    assert.deepEqual(await states(h2), [`tars-framework exited ${FROM}`, `tars-framework.next created ${TO}`]);

    const r = await cli(UPGRADE);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(clusterProblems(await status(), TO), []);
    for (const h of config.hosts) {
      // a node's tag (latest) did not move: it was restarted in place, nothing kept beside it
      const want = h.role === 'node' ? ['tars-node running latest'] : [`tars-framework running ${TO}`, `tars-framework.previous exited ${FROM}`];
      assert.deepEqual(await states(h), want, `${h.name} ends with one container under its name`);
    }
    assert.deepEqual(await fingerprint(data), data);
  });
});
