import type { Config, HostConfig } from '../config/types.js';
import type { PlannedMigration } from '../db/migrate/planned.js';
import { containerSpec } from '../cluster/container-spec.js';
import { mainContainer, type HostContainers } from '../cluster/discover.js';
import { BACKUP_DATABASES, TARSWEB_DATABASES } from '../db/tars-databases.js';
import { InputError } from '../errors.js';
import { decideRecreate, type HostNow, type RecreateDecision } from './recreate.js';
import type { PlanStep, RestartStep, RolloutPlan, VerifyStep } from './plan-steps.js';
import { inPlaceSpec, restartSpec } from './restart-spec.js';

/** The migrate step's plan, or why it is made only when the step runs. */
export type PreparedMigration = { plan: PlannedMigration } | { later: string };

export interface PlanInput {
  config: Pick<Config, 'hosts' | 'images' | 'project' | 'mysql'>;
  /** The Tars containers found per host name. */
  now: Record<string, HostContainers>;
  from: string | null;
  to: string;
  batch: number;
  mode: 'upgrade' | 'rollback';
  /** Per node host: what its moving tag points at and which tarsnode it runs (absent: judged by image only). */
  nodes?: Record<string, NodeFacts>;
  /** TarsFramework's version inside the running master's image: the tarsnode its web serves. */
  masterServes?: string;
  /** The migration the migrate step will apply, computed against the live schema, or why it is computed later (absent: not prepared). */
  migration?: PreparedMigration;
}

export interface NodeFacts {
  runningDigest: string | null;
  /** The registry digest of the node tag; absent when the registry was not asked. */
  tagDigest?: string;
  /** t_node_info.tars_version: the tarsnode the node fetched from the master at its last start. */
  tarsnodeVersion?: string;
}

/**
 * Pure: pull everywhere first, back up, migrate, then master, slaves one at a time, nodes `batch` at a time. A node
 * downloads tarsnode from the master's web at every start, so every node restarts after the master moves:
 * recreated when its tag's digest moved, in place when it did not.
 */
export function planRollout(input: PlanInput): RolloutPlan {
  const { config, to, mode } = input;
  const image = (h: HostConfig) => containerSpec(config as Config, h, to).image;
  const nowOf = (h: HostConfig): HostNow => {
    const found = input.now[h.name] ?? { leftovers: [] };
    const c = mainContainer(found);
    return c ? { image: c.image, state: c.state, restarting: c.restarting, interrupted: found.old !== undefined } : {};
  };
  const masterMoves = config.hosts.some((h) => h.role === 'master' && decideRecreate(nowOf(h), image(h)).recreate);
  const decide = (h: HostConfig): RecreateDecision => {
    const facts = input.nodes?.[h.name];
    if (h.role !== 'node' || !facts) return decideRecreate(nowOf(h), image(h));
    const stale = facts.tarsnodeVersion && input.masterServes && facts.tarsnodeVersion !== input.masterServes;
    const refetch = masterMoves
      ? `the master moves to ${to} and tarsnode is downloaded from its web at every start`
      : stale ? `it runs tarsnode ${facts.tarsnodeVersion}, the master serves ${input.masterServes}` : undefined;
    return decideRecreate(nowOf(h), image(h), {
      runningDigest: facts.runningDigest,
      ...(facts.tagDigest ? { tagDigest: facts.tagDigest } : {}),
      ...(refetch ? { refetch } : {}),
    });
  };
  const changing = config.hosts
    .map((h) => ({ host: h, decision: decide(h) }))
    .filter((x) => x.decision.recreate || x.decision.inPlace);
  const steps: PlanStep[] = [];
  if (changing.length === 0) return { mode, from: input.from, to, steps };

  // a restart in place keeps its image: nothing to pull
  const pulls = changing.filter((x) => x.decision.recreate).map(({ host }): PlanStep => ({
    id: `pull:${host.name}`, kind: 'pull', host: host.name, image: image(host), cause: 'before anything stops', dependsOn: [],
  }));
  steps.push(...pulls);
  const masterChanges = changing.some((x) => x.host.role === 'master');
  let gate = pulls.map((p) => p.id);
  if (masterChanges) {
    steps.push({ id: 'backup', kind: 'backup', databases: [...BACKUP_DATABASES], cause: 'the master start may alter db_tars and the web databases', dependsOn: gate });
    gate = ['backup'];
    if (mode === 'upgrade') {
      // the schema comes out of the image the master will run; the master's restart holds it
      const master = changing.find((x) => x.host.role === 'master')!.host;
      const databases = [...TARSWEB_DATABASES];
      steps.push({
        id: 'migrate', kind: 'migrate', version: to, image: image(master), databases, cause: `schema of ${databases.join(', ')} from ${to}`, dependsOn: gate,
        ...(input.migration && 'plan' in input.migration ? { plan: input.migration.plan } : {}),
        ...(input.migration && 'later' in input.migration ? { planLater: input.migration.later } : {}),
      });
      gate = ['migrate'];
    }
  }
  const restarts: RestartStep[] = [];
  const addRestart = (host: HostConfig, dependsOn: string[]): string => {
    const d = changing.find((x) => x.host === host)!.decision;
    const found = input.now[host.name] ?? { leftovers: [] };
    const restart = d.inPlace ? inPlaceSpec(found) : restartSpec(found, image(host), mode);
    if (!restart) {
      throw new InputError(`${host.name}: no Tars container on ${host.docker.url} to ${mode}; start one there (or \`scale add-host\` an empty host)`);
    }
    const step: RestartStep = { id: `restart:${host.name}`, kind: 'restart', host: host.name, restart, cause: d.cause, dependsOn };
    steps.push(step);
    restarts.push(step);
    return step.id;
  };
  const order = restartOrder(changing.map((x) => x.host), input.batch);
  for (const host of order.framework) gate = [addRestart(host, gate)];
  const nodeIds: string[] = [];
  order.nodes.forEach((host, i) => nodeIds.push(addRestart(host, i < order.lanes ? gate : [nodeIds[i - order.lanes]!])));
  const ends = nodeIds.length > 0 ? nodeIds.slice(-order.lanes) : gate;
  steps.push(...verifyAndRecord(config, to, restarts, ends));
  return { mode, from: input.from, to, steps };
}

/** The check every host runs what the plan moves it to (the restart's image, else the configured one), then the history. */
function verifyAndRecord(config: PlanInput['config'], to: string, restarts: RestartStep[], gate: string[]): PlanStep[] {
  const expect = config.hosts.map((h) => ({
    host: h.name,
    image: restarts.find((r) => r.host === h.name)?.restart.image ?? containerSpec(config as Config, h, to).image,
  }));
  const verify: VerifyStep = { id: 'verify', kind: 'verify', version: to, expect, cause: 'every host healthy, no row lost', dependsOn: gate };
  return [verify, { id: 'record', kind: 'record', version: to, cause: 'history in MySQL', dependsOn: ['verify'] }];
}

/**
 * A resumed run whose hosts all moved before the interruption still owes its verify and record; without them it
 * would end as "nothing to do", never checked and marked running in the history forever. Done ones are skipped.
 */
export function resumePlan(plan: RolloutPlan, config: PlanInput['config']): RolloutPlan {
  if (plan.steps.length > 0) return plan;
  return { ...plan, steps: verifyAndRecord(config, plan.to, [], []) };
}

/**
 * Master alone, then each slave alone, then the nodes at most `batch` at a time. The nodes run on `lanes` lanes:
 * node i waits only for node i - lanes, the one before it on its lane, so it starts when that one is healthy
 * instead of when the slowest node of a whole wave is, and never more than `batch` nodes are down at once.
 */
function restartOrder(hosts: HostConfig[], batch: number): { framework: HostConfig[]; nodes: HostConfig[]; lanes: number } {
  const nodes = hosts.filter((x) => x.role === 'node');
  return {
    framework: [...hosts.filter((x) => x.role === 'master'), ...hosts.filter((x) => x.role === 'slave')],
    nodes,
    lanes: Math.max(1, Math.min(batch, nodes.length)),
  };
}
