import { InterruptedError } from '../errors.js';
import type { JournalStore } from './journal.js';
import type { RunListener } from './run-events.js';
import { stepHost, stepTarget, type PlanStep, type StepKind, type StepOf } from './plan-steps.js';

/**
 * What each kind of step does; the executor itself decides nothing but order, journaling and skipping.
 * A handler may return facts for later steps (kept in `details` and in the journal, so a resumed run has them).
 */
export type StepHandler<K extends StepKind = StepKind> = (
  step: StepOf<K>,
  progress: (detail: string) => void,
  details: Map<string, Record<string, unknown>>,
) => Promise<Record<string, unknown> | void>;
/** Each use case brings the handlers of the kinds its plans hold; a step without one is a planner's bug. */
export type StepHandlers = { [K in StepKind]?: StepHandler<K> };

function handlerOf(handlers: StepHandlers, s: PlanStep): StepHandler {
  // the mapped type pairs each kind with its own step type; indexing by a union loses that pairing
  const h = handlers[s.kind] as StepHandler | undefined;
  if (!h) throw new Error(`no handler for ${s.kind} steps (step ${s.id})`);
  return h;
}

/** Groups steps into levels whose dependencies all lie in earlier levels; a level runs concurrently. */
export function levels(steps: PlanStep[]): PlanStep[][] {
  const placed = new Set<string>();
  const out: PlanStep[][] = [];
  let rest = steps;
  while (rest.length > 0) {
    const ready = rest.filter((s) => s.dependsOn.every((d) => placed.has(d) || !steps.some((x) => x.id === d)));
    if (ready.length === 0) throw new Error(`plan has a dependency cycle among ${rest.map((s) => s.id).join(', ')}`);
    ready.forEach((s) => placed.add(s.id));
    out.push(ready);
    rest = rest.filter((s) => !placed.has(s.id));
  }
  return out;
}

/** What a run brings besides its plan: facts of steps done before, the stop signal, who listens to its events. */
export interface ExecutionOptions {
  details?: Map<string, Record<string, unknown>>;
  stop?: AbortSignal;
  emit?: RunListener;
}

/**
 * Runs every step as soon as the steps it depends on are done, so a restart waits only for what it names, not for
 * the slowest of a wave. After a failure no step starts; the ones already running all run to their end (a pull
 * must not cut the others off), then the first failure in step order is thrown. A step already done in the run
 * being resumed is skipped; every other step is journaled `step-start` before and `step-done` only after it
 * succeeded. Everything it does is told to `emit`; it renders nothing itself. Once `stop` is aborted no step
 * starts; the ones already running finish (a host restart either completes or puts the old container back).
 */
export async function executePlan(
  plan: { steps: PlanStep[] },
  runId: string,
  journal: JournalStore,
  handlers: StepHandlers,
  done: Set<string>,
  o: ExecutionOptions = {},
): Promise<void> {
  const { details = new Map(), stop, emit = () => {} } = o;
  const one = async (s: PlanStep): Promise<void> => {
    if (done.has(s.id)) {
      emit({ type: 'step-skipped', step: s });
      return;
    }
    if (stop?.aborted) throw new InterruptedError(`${String(stop.reason)}: stopped before ${s.kind} ${stepHost(s) ?? stepTarget(s)}`);
    await journal.append({ runId, event: 'step-start', step: s.id });
    emit({ type: 'step-started', step: s });
    const t0 = Date.now();
    let detail: Record<string, unknown> | void;
    try {
      detail = await handlerOf(handlers, s)(s, (line) => emit({ type: 'step-progress', step: s, detail: line }), details);
    } catch (err) {
      const error = String((err as Error).message ?? err);
      await journal.append({ runId, event: 'step-failed', step: s.id, detail: { error } });
      emit({ type: 'step-failed', step: s, seconds: (Date.now() - t0) / 1000, error });
      throw err;
    }
    if (detail) details.set(s.id, detail);
    await journal.append({ runId, event: 'step-done', step: s.id, ...(detail ? { detail } : {}) });
    emit({ type: 'step-done', step: s, seconds: (Date.now() - t0) / 1000 });
  };
  levels(plan.steps); // refuses a cycle before anything runs
  const known = new Set(plan.steps.map((s) => s.id));
  const finished = new Set<string>();
  const failures = new Map<string, unknown>();
  let waiting = plan.steps;
  let running = 0;
  await new Promise<void>((allEnded) => {
    const startReady = (): void => {
      if (failures.size === 0) {
        const ready = waiting.filter((s) => s.dependsOn.every((d) => finished.has(d) || !known.has(d)));
        waiting = waiting.filter((s) => !ready.includes(s));
        for (const s of ready) {
          running++;
          one(s).then(
            () => void finished.add(s.id),
            (err: unknown) => void failures.set(s.id, err),
          ).finally(() => {
            running--;
            startReady();
          });
        }
      }
      if (running === 0) allEnded();
    };
    startReady();
  });
  const failed = plan.steps.find((s) => failures.has(s.id));
  if (failed) throw failures.get(failed.id);
}

/** The title of steps that run at once: each kind with its hosts. */
export function levelTitle(level: PlanStep[]): string {
  const kinds = [...new Set(level.map((s) => s.kind))];
  return kinds.map((k) => `${k} ${level.filter((s) => s.kind === k).map(stepHost).filter(Boolean).join(', ')}`).join('; ');
}
