import type { ClusterSession } from '../cluster/session.js';
import { InterruptedError } from '../errors.js';
import type { Step } from '../steps.js';
import { executionSteps, type StepHandlers } from './execute.js';
import type { JournalStore } from './journal.js';
import { acquireRolloutLock } from './lock.js';
import type { AnyPlan } from './plan-steps.js';
import type { RunListener } from './run-events.js';

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
  show: (steps: Step[]) => Promise<void>,
  opts: { book?: RunBook; stop?: AbortSignal; emit?: RunListener } = {},
): Promise<void> {
  const book = opts.book ?? JOURNAL_ONLY;
  const release = await acquireRolloutLock(s.mysql, s.config.project);
  try {
    await book.started();
    if (!run.resumed) await run.journal.append({ runId: run.runId, event: 'run-start', detail: header(run.plan) });
    try {
      const o = { details: run.details, ...(opts.stop ? { stop: opts.stop } : {}), ...(opts.emit ? { emit: opts.emit } : {}) };
      await show(executionSteps(run.plan, run.runId, run.journal, handlers, run.done, o));
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
