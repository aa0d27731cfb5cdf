import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import { lookBeforeAdding, newHostEntry, type AddHostRequest, type AddHostResult, type NewHostLook } from '../cluster/scale.js';
import type { ClusterSession } from '../cluster/session.js';
import type { Step } from '../steps.js';
import { hostHandlers } from './host-handlers.js';
import { fileJournal } from './journal.js';
import type { AddHostPlan, AnyPlan, RemoveHostPlan } from './plan-steps.js';
import { runPlan, type PlanView } from './run-plan.js';
import { planAddHost, planRemoveHost } from './scale-plan.js';

export interface ScaleOptions {
  /** Shows the checks before the plan. */
  show: (steps: Step[]) => Promise<void>;
  /** Shows the plan's run. */
  view: PlanView;
  journalFile: string;
  dryRun: boolean;
  /** Asked before anything is looked at or changed; not with `dryRun`. */
  confirm: () => Promise<void>;
}

/** A fresh run of a plan that is never resumed, in the journal of the cluster. */
async function run(s: ClusterSession, plan: AnyPlan, o: ScaleOptions, healthTimeoutMs?: number): Promise<Map<string, Record<string, unknown>>> {
  const details = new Map<string, Record<string, unknown>>();
  await runPlan(s, { plan, runId: randomUUID(), journal: fileJournal(o.journalFile), resumed: false, done: new Set(), details }, hostHandlers(s, healthTimeoutMs), o.view);
  return details;
}

/** `scale add-host`: the entry is checked, then the look (shown as one step), then the plan, run unless a dry run. */
export async function addHost(s: ClusterSession, req: AddHostRequest, o: ScaleOptions): Promise<{ plan: AddHostPlan; result: Partial<AddHostResult> }> {
  const { entry, host } = newHostEntry(s.config, req);
  const config: Config = { ...s.config, hosts: [...s.config.hosts, host] };
  const result: Partial<AddHostResult> = { name: host.name, role: host.role, address: host.address, endpoint: host.docker.url, checks: [] };
  if (!o.dryRun) await o.confirm();
  let look: NewHostLook | undefined;
  await o.show([{
    title: `Guard the environment, check the cluster and ${host.name} (${host.docker.url})`,
    run: async () => void (look = await lookBeforeAdding(s, host, config)),
  }]);
  const { conn: _conn, ...seen } = look!;
  Object.assign(result, seen);
  const plan = planAddHost({ config, host, entry, version: look!.version });
  if (o.dryRun) return { plan, result };
  const session: ClusterSession = { ...s, config, conn: (h) => s.hosts.get(h.name)! };
  const details = await run(session, plan, o, req.healthTimeoutMs);
  result.secondsToJoin = Number(details.get(`start:${host.name}`)?.seconds);
  return { plan, result };
}

/** `scale remove-host`: planned (refusing an unknown host or the master), then run unless a dry run. */
export async function removeHost(s: ClusterSession, name: string, o: ScaleOptions): Promise<{ plan: RemoveHostPlan; result: { removed?: string; container?: string } }> {
  const plan = planRemoveHost(s.config, name);
  if (o.dryRun) return { plan, result: {} };
  await o.confirm();
  const details = await run(s, plan, o);
  const container = details.get(`remove-containers:${name}`)?.container;
  return { plan, result: { removed: name, ...(typeof container === 'string' ? { container } : {}) } };
}
