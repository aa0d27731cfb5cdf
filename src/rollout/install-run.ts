import { randomUUID } from 'node:crypto';
import { assertEmptyCluster } from '../cluster/install.js';
import type { ClusterSession } from '../cluster/session.js';
import type { Step } from '../steps.js';
import { hostHandlers } from './host-handlers.js';
import { planInstall } from './install-plan.js';
import { fileJournal } from './journal.js';
import type { InstallPlan } from './plan-steps.js';
import { runPlan, type PlanView } from './run-plan.js';

export interface InstallResult {
  version: string;
  hosts: { name: string; role: string; image: string; secondsToHealthy: number }[];
}

/**
 * `install` and `lab up`: the emptiness check (shown as the first step), then the plan. With `dryRun` the plan is
 * only returned; otherwise the one executor runs it under the lock, journaled.
 */
export async function installCluster(
  s: ClusterSession,
  version: string,
  o: { show: (steps: Step[]) => Promise<void>; view: PlanView; journalFile: string; dryRun?: boolean },
): Promise<{ plan: InstallPlan; result?: InstallResult }> {
  await o.show([{ title: 'Check that the cluster is empty', run: () => assertEmptyCluster(s) }]);
  const plan = planInstall(s.config, version);
  if (o.dryRun) return { plan };
  const run = { plan, runId: randomUUID(), journal: fileJournal(o.journalFile), resumed: false, done: new Set<string>(), details: new Map<string, Record<string, unknown>>() };
  await runPlan(s, run, hostHandlers(s), o.view);
  return { plan, result: installResult(plan, run.details) };
}

/** What the run proved, in the plan's order: each host's image and the seconds its start took to a heartbeat. */
function installResult(plan: InstallPlan, details: Map<string, Record<string, unknown>>): InstallResult {
  const hosts = plan.steps.flatMap((st) => (st.kind === 'start'
    ? [{ name: st.host, role: st.role, image: st.image, secondsToHealthy: Number(details.get(st.id)?.seconds) }]
    : []));
  return { version: plan.to, hosts };
}
