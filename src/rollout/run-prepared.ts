import type { ClusterSession } from '../cluster/session.js';
import type { Config } from '../config/types.js';
import { DEFAULT_KEEP, pruneCluster, type PruneReport } from './prune.js';
import { rolloutHandlers } from './handlers.js';
import type { HostOutcome } from './host-restart.js';
import { runRollout, type PreparedRollout } from './rollout.js';
import type { Step } from '../steps.js';

export interface RolloutSummary {
  runId: string;
  mode: PreparedRollout['options']['mode'];
  from: string | null;
  to: string;
  outcome: 'succeeded';
  seconds: number;
  hosts: HostOutcome[];
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
  opts: { show: (steps: Step[]) => Promise<void>; stop?: AbortSignal; prune: boolean },
): Promise<{ summary: RolloutSummary; pruned?: PruneReport }> {
  const outcomes: HostOutcome[] = [];
  const started = Date.now();
  const { mode, to } = prepared.options;
  await runRollout(session, prepared, rolloutHandlers(session, prepared, outcomes), outcomes, opts.show, opts.stop);
  const summary: RolloutSummary = { runId: prepared.runId, mode, from: prepared.plan.from, to, outcome: 'succeeded', seconds: (Date.now() - started) / 1000, hosts: outcomes };
  // After the history says succeeded, so this upgrade's starting version is the rollback target prune keeps.
  const pruned = mode === 'upgrade' && opts.prune ? await pruneCluster(config, { keep: DEFAULT_KEEP, dryRun: false }) : undefined;
  return { summary, ...(pruned ? { pruned } : {}) };
}
