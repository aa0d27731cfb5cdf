import type { Config, HostConfig } from '../config/types.js';
import { containerSpec } from '../cluster/container-spec.js';
import { mainContainer, type HostContainers } from '../cluster/discover.js';
import { BACKUP_DATABASES, TARSWEB_DATABASES } from '../db/tars-databases.js';
import { InputError } from '../errors.js';
import { decideRecreate } from './recreate.js';
import { renderRestart, restartSpec, type RestartSpec } from './restart-spec.js';

export type StepKind = 'pull' | 'backup' | 'migrate' | 'restart' | 'verify' | 'record' | 'hook';

/** One step of a rollout, plain data: printable, comparable in tests, journaled by id. */
export interface PlanStep {
  id: string;
  kind: StepKind;
  host?: string;
  /** The image a pull/restart moves to, the version a migration targets, or the databases a backup covers. */
  target: string;
  /** For restarts: which container is replaced by what, what it keeps, and what comes back on failure. */
  restart?: RestartSpec;
  cause: string;
  dependsOn: string[];
}

export interface Plan {
  mode: 'upgrade' | 'rollback';
  from: string | null;
  to: string;
  steps: PlanStep[];
}

export interface PlanInput {
  config: Pick<Config, 'hosts' | 'images' | 'project' | 'mysql'>;
  /** The Tars containers found per host name. */
  now: Record<string, HostContainers>;
  from: string | null;
  to: string;
  batch: number;
  mode: 'upgrade' | 'rollback';
}

/** Pure: pull everywhere first, back up, migrate, then master, slaves one at a time, nodes in batches. */
export function planRollout(input: PlanInput): Plan {
  const { config, to, mode } = input;
  const image = (h: HostConfig) => containerSpec(config as Config, h, to).image;
  const changing = config.hosts
    .map((h) => {
      const found = input.now[h.name] ?? { leftovers: [] };
      const c = mainContainer(found);
      const now = c ? { image: c.image, state: c.state, restarting: c.restarting, interrupted: found.old !== undefined } : {};
      return { host: h, decision: decideRecreate(now, image(h)) };
    })
    .filter((x) => x.decision.recreate);
  const steps: PlanStep[] = [];
  if (changing.length === 0) return { mode, from: input.from, to, steps };

  const pulls = changing.map(({ host }) => ({
    id: `pull:${host.name}`, kind: 'pull' as const, host: host.name, target: image(host), cause: 'before anything stops', dependsOn: [],
  }));
  steps.push(...pulls);
  const masterChanges = changing.some((x) => x.host.role === 'master');
  let gate = pulls.map((p) => p.id);
  if (masterChanges) {
    steps.push({ id: 'backup', kind: 'backup', target: BACKUP_DATABASES.join(','), cause: 'the master start may alter db_tars and the web databases', dependsOn: gate });
    gate = ['backup'];
    if (mode === 'upgrade') {
      steps.push({ id: 'migrate', kind: 'migrate', target: to, cause: `schema of ${TARSWEB_DATABASES.join(', ')} from ${to}`, dependsOn: gate });
      gate = ['migrate'];
    }
  }
  const waves = restartWaves(changing.map((x) => x.host), input.batch);
  for (const wave of waves) {
    const ids: string[] = [];
    for (const host of wave) {
      const d = changing.find((x) => x.host === host)!.decision;
      const restart = restartSpec(input.now[host.name] ?? { leftovers: [] }, image(host), mode);
      if (!restart) {
        throw new InputError(`${host.name}: no Tars container on ${host.docker.url} to ${mode}; start one there (or \`scale add-host\` an empty host)`);
      }
      steps.push({ id: `restart:${host.name}`, kind: 'restart', host: host.name, target: image(host), restart, cause: d.cause, dependsOn: gate });
      ids.push(`restart:${host.name}`);
    }
    gate = ids;
  }
  steps.push({ id: 'verify', kind: 'verify', target: to, cause: 'every host healthy, no row lost', dependsOn: gate });
  steps.push({ id: 'record', kind: 'record', target: to, cause: 'history in MySQL', dependsOn: ['verify'] });
  return { mode, from: input.from, to, steps };
}

/**
 * A resumed run whose hosts all moved before the interruption still owes its verify and record; without them it
 * would end as "nothing to do", never checked and marked running in the history forever. Done ones are skipped.
 */
export function resumePlan(plan: Plan): Plan {
  if (plan.steps.length > 0) return plan;
  return {
    ...plan,
    steps: [
      { id: 'verify', kind: 'verify', target: plan.to, cause: 'every host healthy, no row lost', dependsOn: [] },
      { id: 'record', kind: 'record', target: plan.to, cause: 'history in MySQL', dependsOn: ['verify'] },
    ],
  };
}

/** Master alone, then each slave alone, then nodes `batch` at a time. */
export function restartWaves(hosts: HostConfig[], batch: number): HostConfig[][] {
  const waves: HostConfig[][] = [];
  for (const h of hosts.filter((x) => x.role === 'master')) waves.push([h]);
  for (const h of hosts.filter((x) => x.role === 'slave')) waves.push([h]);
  const nodes = hosts.filter((x) => x.role === 'node');
  for (let i = 0; i < nodes.length; i += Math.max(1, batch)) waves.push(nodes.slice(i, i + Math.max(1, batch)));
  return waves;
}

/** One line per step; --dry-run, --json and the golden tests all use this. */
export function renderPlan(plan: Plan): string[] {
  if (plan.steps.length === 0) return [`nothing to do: every host already runs ${plan.to}`];
  const head = `${plan.mode} ${plan.from ?? '(none)'} -> ${plan.to}: ${plan.steps.length} steps`;
  return [
    head,
    ...plan.steps.flatMap((s, i) => [
      `${String(i + 1).padStart(2)}. ${s.kind.padEnd(7)} ${(s.host ?? '-').padEnd(8)} ${s.target}  (${s.cause})` +
        (s.dependsOn.length ? `  after ${compactDeps(s.dependsOn)}` : ''),
      ...(s.restart ? renderRestart(s.restart).map((l) => `      ${l}`) : []),
    ]),
  ];
}

function compactDeps(ids: string[]): string {
  const kinds = new Set(ids.map((id) => id.split(':')[0]));
  if (ids.length > 2 && kinds.size === 1) return `${[...kinds][0]}:* (${ids.length})`;
  return ids.join(', ');
}
