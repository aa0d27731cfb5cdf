import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterSession } from '../../src/cluster/session.js';
import { InterruptedError } from '../../src/errors.js';
import type { JournalEvent, JournalStore } from '../../src/rollout/journal.js';
import type { InstallPlan } from '../../src/rollout/plan-steps.js';
import { collectHostOutcomes, collectStepRecords, runEvents } from '../../src/rollout/run-events.js';
import { runPlan, UNSHOWN, type RunBook } from '../../src/rollout/run-plan.js';

/** A session whose MySQL answers only the lock's two queries, and says which it got. */
function session(got = 1): { s: ClusterSession; sql: string[] } {
  const sql: string[] = [];
  const mysql = { query: async (q: string) => (sql.push(q.split('(')[0]!), [[{ got }]]) };
  return { s: { mysql, config: { project: 'p' } } as unknown as ClusterSession, sql };
}
const plan: InstallPlan = {
  mode: 'install', to: 'v1',
  steps: [
    { id: 'pull:h1', kind: 'pull', host: 'h1', image: 'f:v1', cause: '', dependsOn: [] },
    { id: 'start:h1', kind: 'start', host: 'h1', role: 'master', version: 'v1', image: 'f:v1', removeOnFailure: false, cause: '', dependsOn: ['pull:h1'] },
  ],
};
function run() {
  const events: JournalEvent[] = [];
  const journal: JournalStore = { append: async (e) => void events.push({ at: '', ...e }), read: async () => events };
  return { events, r: { plan, runId: 'r1', journal, resumed: false, done: new Set<string>(), details: new Map() } };
}
const trail = (events: JournalEvent[]) => events.map((e) => `${e.event}${e.step ? ` ${e.step}` : ''}${e.detail?.outcome ? ` ${String(e.detail.outcome)}` : ''}`);

describe('the one executor', () => {
  it('journals the run around its steps under the lock, and releases it', async () => {
    const { s, sql } = session();
    const { events, r } = run();
    await runPlan(s, r, { pull: async () => {}, start: async () => ({ seconds: 2 }) }, UNSHOWN);
    assert.deepEqual(trail(events), ['run-start', 'step-start pull:h1', 'step-done pull:h1', 'step-start start:h1', 'step-done start:h1', 'run-end succeeded']);
    assert.deepEqual(events[0]!.detail, { mode: 'install', to: 'v1' });
    assert.deepEqual(r.details.get('start:h1'), { seconds: 2 });
    assert.deepEqual(sql, ['SELECT GET_LOCK', 'SELECT RELEASE_LOCK']);
  });

  it('a failed step ends the run as the book says, after the book recorded it; the lock goes', async () => {
    const { s, sql } = session();
    const { events, r } = run();
    const said: string[] = [];
    const book: RunBook = {
      started: async () => void said.push('started'),
      ended: async (err) => (said.push(`ended ${String((err as Error).message)}`), 'rolled-back'),
      interrupted: async (err) => err,
    };
    const fail = async () => { throw new Error('no heartbeat'); };
    await assert.rejects(runPlan(s, r, { pull: async () => {}, start: fail }, UNSHOWN, { book }), /no heartbeat/);
    assert.deepEqual(said, ['started', 'ended no heartbeat']);
    assert.deepEqual(trail(events).slice(-2), ['step-failed start:h1', 'run-end rolled-back']);
    assert.equal(sql.at(-1), 'SELECT RELEASE_LOCK');
  });

  it('an interruption leaves the run open (no run-end) with the error the book words', async () => {
    const { s } = session();
    const { events, r } = run();
    const stop = new AbortController();
    const book: RunBook = { started: async () => {}, ended: async () => 'failed', interrupted: async (e) => new InterruptedError(`${e.message}; run it again`) };
    const pull = async () => void stop.abort('SIGTERM');
    await assert.rejects(runPlan(s, r, { pull }, UNSHOWN, { book, stop: stop.signal }), /SIGTERM: stopped before start h1; run it again/);
    assert.deepEqual(trail(events), ['run-start', 'step-start pull:h1', 'step-done pull:h1', 'run-interrupted']);
  });

  it('refuses to start while another run holds the lock, with nothing journaled', async () => {
    const { s } = session(0);
    const { events, r } = run();
    await assert.rejects(runPlan(s, r, {}, UNSHOWN), /another rollout is running/);
    assert.deepEqual(events, []);
  });

  it('tells its steps as typed events; outcomes and step records are built from them alone', async () => {
    const { s } = session();
    const { r } = run();
    r.done.add('pull:h1');
    const events = runEvents();
    const seen: string[] = [];
    events.subscribe((e) => seen.push(e.type === 'host-outcome' ? `host ${e.outcome.name}` : `${e.type} ${e.step.id}`));
    const hosts = collectHostOutcomes(events);
    const steps = collectStepRecords(events);
    const start = async () => void events.emit({ type: 'host-outcome', outcome: { name: 'h1', outcome: 'restarted', downtimeSeconds: 1 } });
    await runPlan(s, { ...r, resumed: true }, { start }, UNSHOWN, { events });
    assert.deepEqual(seen, ['step-skipped pull:h1', 'step-started start:h1', 'host h1', 'step-done start:h1']);
    assert.deepEqual(hosts, [{ name: 'h1', outcome: 'restarted', downtimeSeconds: 1 }]);
    assert.deepEqual(steps.map((x) => `${x.id} ${x.outcome}`), ['pull:h1 skipped', 'start:h1 done']);
  });
});
