// Issue 10.5: a Docker engine that freezes (SIGSTOP on its dockerd) while its host is being restarted fails that
// host's step instead of hanging the run or passing it; once the engine thaws, the rerun converges, no row lost.
// The freeze is sent when the journal shows the node's restart started: an event, not a delay.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, freshCluster, LAB_DIR } from '../support/lab.js';
import {
  clusterProblems, fingerprint, followJournal, seedWebData, startCli, status, waitGroupGone, type Fingerprint,
} from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';
const HOST = 'h4';
const dockerdPid = () => Number(readFileSync(join(LAB_DIR, 'hosts', HOST, 'dockerd.pid'), 'utf8').trim());

describe('an engine that freezes during its host restart', () => {
  let data: Fingerprint;
  let frozen = false;
  const thaw = () => {
    if (frozen) process.kill(dockerdPid(), 'SIGCONT');
    frozen = false;
  };
  before(async () => {
    await freshCluster(FROM);
    await seedWebData(100);
    data = await fingerprint();
  });
  after(thaw);

  it('fails that host step naming the host, and the rerun after the thaw converges with every row kept', async () => {
    const run = startCli(['upgrade', '--to', TO, '--health-timeout', '10', '--yes']);
    const stop = followJournal((e) => {
      if (!frozen && e.event === 'step-start' && e.step === `restart:${HOST}`) {
        process.kill(dockerdPid(), 'SIGSTOP');
        frozen = true;
      }
    });
    const result = await run.done;
    stop();
    await waitGroupGone(run.child.pid!);
    assert.ok(frozen, 'the engine was frozen during the restart');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`^tars-docker: .*${HOST}`, 'm'));
    thaw();

    const rerun = await cli(['upgrade', '--to', TO, '--yes']);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(clusterProblems(await status(), TO), []);
    assert.deepEqual(await fingerprint(data), data);
  });
});
