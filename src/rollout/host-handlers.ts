import { addInventoryHost, removeInventoryHost } from '../config/inventory-edit.js';
import type { HostConfig } from '../config/types.js';
import { assertNoConflict, discoverHost } from '../cluster/discover.js';
import { markHostInactive, removeHostContainers } from '../cluster/scale.js';
import type { ClusterSession } from '../cluster/session.js';
import { startHost } from '../cluster/start-host.js';
import type { StepHandlers } from './execute.js';
import { pullHandler } from './handlers.js';

/**
 * The effect of the steps that change which hosts the cluster has (install, scale add-host and remove-host).
 * `healthTimeoutMs` absent: the start's default gate.
 */
export function hostHandlers(s: ClusterSession, healthTimeoutMs?: number): StepHandlers {
  const hostOf = (name: string): HostConfig => s.config.hosts.find((h) => h.name === name)!;
  return {
    pull: pullHandler(s),
    start: async (step) => {
      const host = hostOf(step.host);
      try {
        return { seconds: await startHost(s, host, step.version, healthTimeoutMs) };
      } catch (err) {
        if (step.removeOnFailure) await removeHostContainers(s, host, s.conn(host), true);
        throw err;
      }
    },
    'remove-containers': async (step) => {
      const host = hostOf(step.host);
      // two running Tars containers for one host: which one goes is the operator's call (exit 2), not ours
      assertNoConflict([await discoverHost(s.config, host, s.conn(host))]);
      const container = await removeHostContainers(s, host, s.conn(host), false);
      return container ? { container } : undefined;
    },
    deactivate: async (step) => {
      await markHostInactive(s.mysql, step);
    },
    'inventory-add': async (step) => {
      addInventoryHost(step.file, step.entry);
    },
    'inventory-remove': async (step) => {
      removeInventoryHost(step.file, step.host);
    },
  };
}
