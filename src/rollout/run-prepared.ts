import type { ClusterSession } from '../cluster/session.js';
import type { Config } from '../config/types.js';
import { DEFAULT_KEEP, pruneCluster, type PruneReport } from './prune.js';
import { rolloutHandlers } from './handlers.js';
import { collectHostOutcomes, collectStepRecords, runEvents, type HostOutcome, type StepRecord } from './run-events.js';
import type { MasterDbChanges } from './master-db-changes.js';
import { runRollout, type PreparedRollout } from './rollout.js';
import type { PlanView } from './run-plan.js';

export interface RolloutSummary {
  runId: string;
  mode: PreparedRollout['options']['mode'];
  from: string | null;
  to: string;
  outcome: 'succeeded';
  seconds: number;
  hosts: HostOutcome[];
  /** How each step of the plan ended (skipped: done by the run this one resumed). */
  steps: StepRecord[];
  /** What the master's own start changed in the databases, when it restarted. */
  masterDb?: MasterDbChanges;
}

/**
 * The guarded run of a prepared plan, shared by `upgrade`, `rollback` and `watch --upgrade`: lock, journal,
 * backup, gates and rollback inside runRollout; then, for an upgrade that asked for it, the old images go.
 * A failure throws (history and journal already say what happened).
 */
export async function runPreparedRollout(
  config: Config,
  session: ClusterSession,
  prepared: PreparedRollout,
  opts: { view: PlanView; stop?: AbortSignal; prune: boolean },
): Promise<{ summary: RolloutSummary; pruned?: PruneReport }> {
  const events = runEvents();
  const hosts = collectHostOutcomes(events);
  const steps = collectStepRecords(events);
  const started = Date.now();
  const { mode, to } = prepared.options;
  await runRollout(session, prepared, rolloutHandlers(session, prepared, { emit: events.emit, hosts }), { events, hosts }, opts.view, opts.stop);
  const masterDb = [...prepared.details.values()].find((d) => d.masterDb)?.masterDb as MasterDbChanges | undefined;
  const summary: RolloutSummary = {
    runId: prepared.runId, mode, from: prepared.plan.from, to, outcome: 'succeeded', seconds: (Date.now() - started) / 1000, hosts, steps,
    ...(masterDb ? { masterDb } : {}),
  };
  // After the history says succeeded, so this upgrade's starting version is the rollback target prune keeps.
  const pruned = mode === 'upgrade' && opts.prune ? await pruneCluster(config, { keep: DEFAULT_KEEP, dryRun: false }) : undefined;
  return { summary, ...(pruned ? { pruned } : {}) };
}
