import type { Config, HostConfig } from '../config/types.js';
import { containerSpec } from '../cluster/container-spec.js';
import { installOrder } from '../cluster/install.js';
import type { InstallPlan, PlanStep, StartStep } from './plan-steps.js';

/** The start of one empty host's container; shared by install and scale add-host. */
export function startStep(config: Config, host: HostConfig, version: string, dependsOn: string[], removeOnFailure: boolean): StartStep {
  return {
    id: `start:${host.name}`, kind: 'start', host: host.name, role: host.role, version,
    image: containerSpec(config, host, version).image, removeOnFailure,
    cause: `an empty ${host.role} host; proven by its heartbeat`, dependsOn,
  };
}

/**
 * Pure: every image pulled first (nothing starts before all are there), then the master, then each slave alone
 * (so each registry is proven before the next one starts), then every node at once (nodes join independently).
 */
export function planInstall(config: Config, version: string): InstallPlan {
  const pulls: PlanStep[] = config.hosts.map((h) => ({
    id: `pull:${h.name}`, kind: 'pull', host: h.name, image: containerSpec(config, h, version).image, cause: 'before anything starts', dependsOn: [],
  }));
  const steps: PlanStep[] = [...pulls];
  let gate = pulls.map((p) => p.id);
  for (const group of installOrder(config)) {
    const together = group[0]!.role === 'node';
    for (const host of group) {
      const start = startStep(config, host, version, gate, false);
      steps.push(start);
      if (!together) gate = [start.id];
    }
    if (together) gate = group.map((h) => `start:${h.name}`);
  }
  return { mode: 'install', to: version, steps };
}
