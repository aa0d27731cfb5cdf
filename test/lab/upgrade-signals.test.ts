// Issue 10.4: SIGINT and SIGTERM during an upgrade let the host step in progress finish, stop before the next one,
// release the lock, record "interrupted", print how to continue and exit 130; the rerun converges with no row lost.
// Each signal is sent when the journal shows the chosen restart started: an event, not a delay.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { cli, freshCluster } from '../support/lab.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import {
  fingerprint, followJournal, history, readJournal, seedWebData, startCli, status, waitGroupGone, type Fingerprint,
} from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';

/** Runs the upgrade and sends `signal` once `step` has started; returns what the run left behind. */
async function signalAt(signal: NodeJS.Signals, step: string) {
  const run = startCli(['upgrade', '--to', TO, '--yes']);
  let runId = '';
  let sent = false;
  const stop = followJournal((e) => {
    runId ||= e.runId;
    if (!sent && e.event === 'step-start' && e.step === step) {
      sent = true;
      process.kill(run.child.pid!, signal);
    }
  });
  const result = await run.done;
  stop();
  await waitGroupGone(run.child.pid!);
  return { result, runId, events: readJournal().filter((e) => e.runId === runId) };
}

describe('upgrade stopped by a signal', () => {
  let data: Fingerprint;
  before(async () => {
    await freshCluster(FROM);
    await seedWebData(200);
    data = await fingerprint();
  });

  for (const [signal, step] of [['SIGINT', 'restart:h1'], ['SIGTERM', 'restart:h2']] as const) {
    it(`${signal} during ${step} finishes that host, starts nothing else, and says how to continue`, async () => {
      const since = await mysqlNow();
      const { result, runId, events } = await signalAt(signal, step);
      assert.equal(result.code, 130, result.stderr);
      assert.equal(result.signal, null, 'exited by itself, not killed by the signal');
      const lines = result.stderr.trim().split('\n');
      assert.match(lines[0]!, new RegExp(`^tars-docker: ${signal}: finishing the step in progress, then stopping`));
      assert.match(lines.at(-1)!, new RegExp(`^tars-docker: ${signal}: stopped before restart \\S+; .*run \`tars-docker upgrade --to ${TO} --resume\` to continue$`));
      const startedAfter = events.slice(events.findIndex((e) => e.event === 'step-start' && e.step === step) + 1).filter((e) => e.event === 'step-start');
      assert.deepEqual(startedAfter, [], 'no step started after the signal');
      assert.ok(events.some((e) => e.event === 'step-done' && e.step === step), `${step} finished`);
      assert.ok(!events.some((e) => e.event === 'run-end'), 'the run stays open for --resume');

      const doc = await status();
      assert.ok(doc.healthy, JSON.stringify(doc.hosts.map((h) => [h.name, h.version, h.problem])));
      assert.deepEqual(await hostProblems({ version: TO, since, hosts: [step.replace('restart:', '')] }), [], 'the host it finished runs the target');
      const row = (await history()).find((h) => h.runId === runId);
      assert.equal(row?.outcome, 'interrupted');
      assert.deepEqual(await fingerprint(data), data);
    });
  }

  it('the rerun takes the free lock, continues the same run and converges with every row kept', async () => {
    const interrupted = readJournal().filter((e) => e.event === 'run-interrupted').at(-1);
    assert.ok(interrupted, 'the journal has the interrupted run');
    const since = await mysqlNow();
    const r = await cli(['upgrade', '--to', TO, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await hostProblems({ version: TO, since }), []);
    assert.deepEqual(await fingerprint(data), data);
    const row = (await history()).find((h) => h.runId === interrupted.runId);
    assert.equal(row?.outcome, 'succeeded');
  });

  it('a run killed outright is marked abandoned by the next run that takes the lock', async () => {
    const run = startCli(['rollback', '--to', FROM, '--yes']);
    let runId = '';
    const stop = followJournal((e) => {
      if (e.event === 'run-start') {
        runId = e.runId;
        process.kill(run.child.pid!, 'SIGKILL');
      }
    });
    await run.done;
    stop();
    await waitGroupGone(run.child.pid!);
    assert.equal((await history()).find((h) => h.runId === runId)?.outcome, 'running');
    // A rollback to another version is another run than the one the journal has open, so the killed one is
    // abandoned, not resumed (and, unlike a no-op upgrade, it has steps, so it takes the lock).
    const r = await cli(['rollback', '--to', 'v3.0.6', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const row = (await history()).find((h) => h.runId === runId);
    assert.equal(row?.outcome, 'abandoned');
    assert.match(row?.message ?? '', /killed/);
  });
});
