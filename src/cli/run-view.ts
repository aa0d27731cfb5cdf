import { Listr, type ListrTask } from 'listr2';
import { levels, levelTitle } from '../rollout/execute.js';
import { compactDeps, stepTitle } from '../rollout/plan-render.js';
import type { PlanStep } from '../rollout/plan-steps.js';
import type { RunEvents } from '../rollout/run-events.js';
import { UNSHOWN, type PlanView } from '../rollout/run-plan.js';
import { redact } from '../redact.js';
import { failAfterAll, listrOptions } from './tasks.js';

/** How a step ended as far as the view knows; `stopped`: the run ended before it with an error of its own. */
type End = { how: 'done' | 'skipped' | 'not-run' } | { how: 'failed'; error: string } | { how: 'stopped'; err: unknown };

interface Ending {
  promise: Promise<End>;
  settle(end: End): void;
  settled: boolean;
}

function ending(): Ending {
  let resolve!: (end: End) => void;
  const e: Ending = {
    promise: new Promise<End>((r) => (resolve = r)),
    settle: (end) => {
      if (e.settled) return;
      e.settled = true;
      resolve(end);
    },
    settled: false,
  };
  return e;
}

/** The plan's run as listr2 tasks for a person, nothing with --json (the result document says it all). */
export function planView(json: boolean): PlanView {
  return json ? UNSHOWN : listrView;
}

/**
 * Subscribes to the run's events: one task per step (a level's steps as subtasks of one task), each ending when
 * its step's event comes, whether listr reached it yet or not. Once the run ended, every step it never reached
 * ends too, so the view always ends: the first with the run's error when no step failed (an interruption).
 */
const listrView: PlanView = async (plan, events: RunEvents, running) => {
  const ends = new Map(plan.steps.map((s) => [s.id, ending()]));
  const starts = new Map(plan.steps.map((s) => [s.id, ending()]));
  // lines told before listr reached the step's task, shown once it does: none is lost
  const early = new Map<string, string[]>();
  const shown = new Map<string, (line: string) => void>();
  let stepFailed = false;
  events.subscribe((e) => {
    if (e.type === 'host-outcome') return;
    const id = e.step.id;
    if (e.type === 'step-started') return starts.get(id)?.settle({ how: 'done' });
    if (e.type === 'step-progress') {
      const show = shown.get(id);
      if (show) show(e.detail);
      else early.set(id, [...(early.get(id) ?? []), e.detail]);
    } else if (e.type === 'step-failed') {
      stepFailed = true;
      ends.get(id)?.settle({ how: 'failed', error: e.error });
    } else ends.get(id)?.settle({ how: e.type === 'step-done' ? 'done' : 'skipped' });
  });
  const settleRest = (err?: unknown) => {
    let first = err !== undefined && !stepFailed;
    for (const s of plan.steps) {
      const e = ends.get(s.id)!;
      if (e.settled) continue;
      e.settle(first ? { how: 'stopped', err } : { how: 'not-run' });
      first = false;
    }
  };
  running.then(() => settleRest(), settleRest);

  const stepTask = (s: PlanStep): ListrTask => ({
    title: stepTitle(s),
    task: async (_ctx, task) => {
      const show = (line: string) => void (task.output = redact(line));
      (early.get(s.id) ?? []).forEach(show);
      shown.set(s.id, show);
      // in a group whose steps overlap, a step is reached while what it waits for still runs
      const waitsFor = s.dependsOn.filter((d) => ends.get(d)?.settled === false);
      if (!starts.get(s.id)!.settled && waitsFor.length > 0) {
        show(`waits for ${compactDeps(waitsFor)}`);
        void starts.get(s.id)!.promise.then(() => ends.get(s.id)!.settled || show('started'));
      }
      const end = await ends.get(s.id)!.promise;
      if (end.how === 'skipped') show('done before the interruption, skipped');
      if (end.how === 'failed') throw new Error(end.error);
      if (end.how === 'stopped') throw end.err;
      if (end.how === 'not-run') task.skip();
    },
  });
  const tasks = overlappingLevels(plan.steps).map((level): ListrTask => {
    if (level.length === 1) return stepTask(level[0]!);
    return {
      title: levelTitle(level),
      task: (_ctx, task) => {
        const errors: unknown[] = [];
        const children = level.map((s, i) => {
          const t = stepTask(s);
          return { ...t, task: (ctx: unknown, w: Parameters<typeof t.task>[1]) => (t.task(ctx, w) as Promise<void>).catch((err: unknown) => { errors[i] = err; throw err; }) };
        });
        return failAfterAll(task.newListr(children, { concurrent: true, exitOnError: false }), errors);
      },
    };
  });
  await new Listr(tasks, listrOptions()).run();
};

/**
 * The plan's levels, with a level joined to the group before it when one of its steps can start while that group
 * still runs (a node lane's next restart while other lanes' restarts go on): the view then shows what is really
 * running at once. A step that waits for everything of the group (verify after every restart) starts a new one.
 */
export function overlappingLevels(steps: PlanStep[]): PlanStep[][] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (id: string): Set<string> => {
    let known = ancestors.get(id);
    if (known) return known;
    known = new Set();
    for (const d of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(d)) continue;
      known.add(d);
      for (const a of ancestorsOf(d)) known.add(a);
    }
    ancestors.set(id, known);
    return known;
  };
  const groups: PlanStep[][] = [];
  for (const level of levels(steps)) {
    const last = groups[groups.length - 1];
    if (last && level.some((s) => last.some((g) => !ancestorsOf(s.id).has(g.id)))) last.push(...level);
    else groups.push([...level]);
  }
  return groups;
}
