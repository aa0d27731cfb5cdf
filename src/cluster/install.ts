import type { Config, HostConfig } from '../config/types.js';
import { discoverHost, mainContainer } from './discover.js';
import { InputError } from '../errors.js';
import { existingDatabases } from '../db/schema/introspect.js';
import { TARS_DATABASES } from '../db/tars-databases.js';
import type { ClusterSession } from './session.js';

/** Pure: master first, then slaves, then nodes. */
export function installOrder(config: Pick<Config, 'hosts'>): HostConfig[][] {
  const by = (role: string) => config.hosts.filter((h) => h.role === role);
  return [by('master'), by('slave'), by('node')].filter((g) => g.length > 0);
}

/** Refuses an installed cluster before anything is pulled or created. */
export async function assertEmptyCluster(s: ClusterSession): Promise<void> {
  const found = await existingDatabases(s.mysql, TARS_DATABASES);
  if (found.length > 0) {
    throw new InputError(`databases already exist (${found.join(', ')}): this cluster is installed, use \`tars-docker upgrade\``);
  }
  for (const host of s.config.hosts) {
    const c = mainContainer(await discoverHost(s.config, host, s.conn(host)));
    if (c) throw new InputError(`${host.name}: already runs ${c.name} (${c.image}); remove it or use \`tars-docker upgrade\``);
  }
}
