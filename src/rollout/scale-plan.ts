import type { Config, HostConfig } from '../config/types.js';
import type { InventoryHostEntry } from '../config/inventory-edit.js';
import { InputError } from '../errors.js';
import { startStep } from './install-plan.js';
import type { AddHostPlan, RemoveHostPlan } from './plan-steps.js';

export interface AddHostInput {
  /** The cluster's configuration with the new host in it. */
  config: Config;
  host: HostConfig;
  entry: InventoryHostEntry;
  /** The master's image tag: what the new host runs. */
  version: string;
}

/**
 * Pure: pull, start and prove the new host, and only then write it into the inventory, so a host that never
 * joined is never named there. Its container goes again when it does not join.
 */
export function planAddHost(input: AddHostInput): AddHostPlan {
  const { config, host, version } = input;
  const start = startStep(config, host, version, [`pull:${host.name}`], true);
  return {
    mode: 'add-host', host: host.name, to: version,
    steps: [
      { id: `pull:${host.name}`, kind: 'pull', host: host.name, image: start.image, cause: "the cluster's image, before anything starts", dependsOn: [] },
      start,
      {
        id: `inventory-add:${host.name}`, kind: 'inventory-add', host: host.name, file: config.inventoryFile, entry: input.entry,
        cause: 'the host joined: later commands include it', dependsOn: [start.id],
      },
    ],
  };
}

/**
 * Pure: the host's containers go, its rows in db_tars go inactive (so nothing routes to it), and last it leaves
 * the inventory. The master is refused: it holds the web and the first registry.
 */
export function planRemoveHost(config: Config, name: string): RemoveHostPlan {
  const host = config.hosts.find((h) => h.name === name);
  if (!host) throw new InputError(`no host named ${name} in ${config.inventoryFile}`);
  if (host.role === 'master') throw new InputError(`${name} is the master: it cannot be removed (it holds the web and the first registry)`);
  const remove = `remove-containers:${name}`;
  const deactivate = `deactivate:${name}`;
  return {
    mode: 'remove-host', host: name,
    steps: [
      { id: remove, kind: 'remove-containers', host: name, cause: 'its own, the kept and any half-made one', dependsOn: [] },
      {
        id: deactivate, kind: 'deactivate', host: name, address: host.address, registry: host.role === 'slave',
        cause: host.role === 'slave' ? 'its t_node_info and t_registry_info rows' : 'its t_node_info row', dependsOn: [remove],
      },
      { id: `inventory-remove:${name}`, kind: 'inventory-remove', host: name, file: config.inventoryFile, cause: 'later commands leave it out', dependsOn: [deactivate] },
    ],
  };
}
