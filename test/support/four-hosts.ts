// A copy of the lab inventory holding only its first four hosts (master, slave, two nodes), in a folder of the
// test's own (so journal and backups are the test's too): the same cluster whatever size the shared lab has.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { cli, LAB_ENV, labInventoryText } from './lab.js';
import { clusterState, type ClusterState } from './cluster-state.js';
import { waitClusterAt, type StatusDoc } from './rollout.js';

export interface FourHosts {
  inventory: string;
  files: { inventory: string };
  config(): Config;
  /** Rewrites the inventory with `extra` YAML appended (e.g. `hooks:`). */
  write(extra?: string): void;
  status(): Promise<StatusDoc>;
  /** Polls status until the four hosts are healthy at `version`, nodes at the node tag (or a minute is up). */
  waitAt(version: string): Promise<StatusDoc>;
  /** The cluster without tars-docker's own database, where history records every run, refused ones too. */
  state(): Promise<ClusterState>;
}

export function fourHosts(dir: string): FourHosts {
  const inventory = join(dir, 'tars-docker.yml');
  const files = { inventory };
  const config = () => loadConfig({ envFile: LAB_ENV, inventory });
  const write = (extra = '') => {
    const doc = parse(labInventoryText()) as { hosts: unknown[] };
    writeFileSync(inventory, `${stringify({ ...doc, hosts: doc.hosts.slice(0, 4) })}${extra}`);
  };
  write();
  const status = async () => JSON.parse((await cli(['--json', 'status'], files)).stdout) as StatusDoc;
  return {
    inventory, files, config, write, status,
    waitAt: (version) => waitClusterAt(version, 60_000, status),
    state: async () => {
      const s = await clusterState(config());
      return {
        ...s,
        databases: s.databases.filter((d) => d !== 'tars_docker'),
        tables: Object.fromEntries(Object.entries(s.tables).filter(([k]) => !k.startsWith('tars_docker.'))),
      };
    },
  };
}
