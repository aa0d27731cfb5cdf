import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planView } from '../../src/cli/run-view.js';
import type { ClusterSession } from '../../src/cluster/session.js';
import type { JournalEvent, JournalStore } from '../../src/rollout/journal.js';
import type { InstallPlan } from '../../src/rollout/plan-steps.js';
import { runPlan } from '../../src/rollout/run-plan.js';
import type { StepHandlers } from '../../src/rollout/execute.js';

const s = { mysql: { query: async () => [[{ got: 1 }]] }, config: { project: 'p' } } as unknown as ClusterSession;
const pull = (h: string) => ({ id: `pull:${h}`, kind: 'pull' as const, host: h, image: `f:${h}`, cause: '', dependsOn: [] });
const plan: InstallPlan = {
  mode: 'install', to: 'v1',
  steps: [pull('a'), pull('b'), { id: 'start:a', kind: 'start', host: 'a', role: 'master', version: 'v1', image: 'f:v1', removeOnFailure: false, cause: '', dependsOn: ['pull:a', 'pull:b'] }],
};

/** Runs the plan under the listr view with stdout captured; returns what it printed and how the run ended. */
async function shown(
  handlers: StepHandlers,
  o: { done?: string[]; stop?: AbortSignal; of?: InstallPlan; printed?: (out: string) => void } = {},
): Promise<{ out: string; error?: Error; ran: JournalEvent[] }> {
  const ran: JournalEvent[] = [];
  const journal: JournalStore = { append: async (e) => void ran.push({ at: '', ...e }), read: async () => ran };
  const run = { plan: o.of ?? plan, runId: 'r', journal, resumed: false, done: new Set(o.done ?? []), details: new Map() };
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((out += chunk), o.printed?.(out), true)) as typeof process.stdout.write;
  try {
    await runPlan(s, run, handlers, planView(false), o.stop ? { stop: o.stop } : {});
    return { out, ran };
  } catch (err) {
    return { out, error: err as Error, ran };
  } finally {
    process.stdout.write = write;
  }
}

describe('the listr view of a run', () => {
  it('shows each step with its progress; a skipped one says so', async () => {
    const r = await shown({ pull: async (_s, progress) => progress('12.0 / 40.0 MB'), start: async () => {} }, { done: ['pull:b'] });
    assert.equal(r.error, undefined);
    for (const line of ['pull a, b', 'pull a f:a', 'pull b f:b', 'start a f:v1', '12.0 / 40.0 MB', 'done before the interruption, skipped']) {
      assert.ok(r.out.includes(line), `${line} in:\n${r.out}`);
    }
  });

  it('ends with the run when a step of a level failed: the rest of the level ran, nothing after it', async () => {
    const started: string[] = [];
    const r = await shown({
      pull: async (step) => {
        started.push(step.id);
        if (step.host === 'a') throw new Error('a: cannot pull f:a');
      },
      start: async () => void started.push('start:a'),
    });
    assert.equal(r.error?.message, 'a: cannot pull f:a');
    assert.deepEqual(started.sort(), ['pull:a', 'pull:b']);
    assert.match(r.out, /a: cannot pull f:a/);
  });

  it('shows a step of overlapping lanes as waiting for the step before it on its lane, and only while it waits', async () => {
    const after = (h: string, deps: string[]) => ({ ...pull(h), dependsOn: deps });
    // c runs on a's lane beside b; d waits for everything before it and starts a group of its own
    const lanes: InstallPlan = { mode: 'install', to: 'v1', steps: [pull('a'), pull('b'), after('c', ['pull:a']), after('d', ['pull:b', 'pull:c'])] };
    let seen!: () => void;
    const waitShown = new Promise<void>((ok) => (seen = ok));
    const r = await shown(
      // a ends only once the view has said that c waits for it
      { pull: async (step) => void (step.host === 'a' && (await waitShown)) },
      { of: lanes, printed: (out) => out.includes('waits for pull:a') && seen() },
    );
    assert.equal(r.error, undefined);
    assert.match(r.out, /pull a, b; pull c|pull a, b, c/, 'a, b and c are one group');
    assert.ok(r.out.includes('started'), r.out);
    assert.ok(!/waits for pull:[bc]/.test(r.out), `d was reached once b and c had ended:\n${r.out}`);
  });

  it('ends with the run when it is stopped between steps, naming the step it stopped before', async () => {
    const stop = new AbortController();
    const r = await shown({ pull: async () => void stop.abort('SIGINT'), start: async () => assert.fail('started after the stop') }, { stop: stop.signal });
    assert.match(r.error?.message ?? '', /^SIGINT: stopped before start a$/);
    assert.match(r.out, /SIGINT: stopped before start a/);
    assert.ok(!r.ran.some((e) => e.step === 'start:a'));
  });
});
