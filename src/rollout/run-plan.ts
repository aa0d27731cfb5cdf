import type { ClusterSession } from '../cluster/session.js';
import { InterruptedError } from '../errors.js';
import { settleAll } from '../settle-all.js';
import { executePlan, type StepHandlers } from './execute.js';
import type { JournalStore } from './journal.js';
import { acquireRolloutLock } from './lock.js';
import type { AnyPlan } from './plan-steps.js';
import { runEvents, type RunEvents } from './run-events.js';

/** One run of a plan: its id in the journal, and what a run being resumed finished already. */
export interface PlanRun {
  plan: AnyPlan;
  runId: string;
  journal: JournalStore;
  resumed: boolean;
  done: Set<string>;
  details: Map<string, Record<string, unknown>>;
}

/** What a kind of run records besides the journal: upgrades and rollbacks keep a history row in MySQL. */
export interface RunBook {
  /** With the lock held, before the first step. */
  started(): Promise<void>;
  /** After the last step (no error) or the first failure; returns the outcome the journal's run-end carries. */
  ended(err?: unknown): Promise<string>;
  /** A stop asked for between steps; returns the error the operator sees. */
  interrupted(err: InterruptedError): Promise<InterruptedError>;
}

/** Install and scale keep no history: the journal alone says what ran. */
const JOURNAL_ONLY: RunBook = {
  started: async () => {},
  ended: async (err) => (err === undefined ? 'succeeded' : 'failed'),
  interrupted: async (err) => err,
};

/**
 * How a run is shown while it goes: subscribed to its events, given the run itself to know when it ended. It
 * changes nothing; the run's own outcome is what `runPlan` reports.
 */
export type PlanView = (plan: { steps: AnyPlan['steps'] }, events: RunEvents, running: Promise<void>) => Promise<void>;

/** For scripts (--json) and the watcher: nothing shown while the run goes. */
export const UNSHOWN: PlanView = (_plan, _events, running) => running;

/** What the journal's run-start says of the plan: everything but its steps (mode, versions, host). */
function header(plan: AnyPlan): Record<string, unknown> {
  const { steps: _steps, ...rest } = plan;
  return rest;
}

/**
 * Runs a plan under the cluster-wide lock, journaled: one executor for every plan (upgrade, rollback, install,
 * scale). An interrupted run stays open in the journal so the same command can continue it; every other end is
 * journaled `run-end`. The lock is released on every path.
 */
export async function runPlan(
  s: ClusterSession,
  run: PlanRun,
  handlers: StepHandlers,
  view: PlanView,
  opts: { book?: RunBook; stop?: AbortSignal; events?: RunEvents } = {},
): Promise<void> {
  const book = opts.book ?? JOURNAL_ONLY;
  const events = opts.events ?? runEvents();
  const release = await acquireRolloutLock(s.mysql, s.config.project);
  try {
    await book.started();
    if (!run.resumed) await run.journal.append({ runId: run.runId, event: 'run-start', detail: header(run.plan) });
    try {
      const o = { details: run.details, emit: events.emit, ...(opts.stop ? { stop: opts.stop } : {}) };
      // the view subscribes before the first step can tell anything (a skipped step tells at once)
      let start!: () => void;
      const running = new Promise<void>((go) => (start = go)).then(() => executePlan(run.plan, run.runId, run.journal, handlers, run.done, o));
      const shown = view(run.plan, events, running);
      start();
      // the view ends after the run; the run's outcome counts, a view that failed only if the run did not
      await settleAll([running, shown]);
    } catch (err) {
      if (err instanceof InterruptedError) {
        const told = await book.interrupted(err);
        await run.journal.append({ runId: run.runId, event: 'run-interrupted', detail: { reason: err.message } });
        throw told;
      }
      const outcome = await book.ended(err);
      await run.journal.append({ runId: run.runId, event: 'run-end', detail: { outcome } });
      throw err;
    }
    const outcome = await book.ended();
    await run.journal.append({ runId: run.runId, event: 'run-end', detail: { outcome } });
  } finally {
    await release();
  }
}
