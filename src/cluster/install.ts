import type { Config, HostConfig } from '../config/types.js';
import { discoverHost, mainContainer } from './discover.js';
import { megabytes, pullImage } from '../docker/pull.js';
import { InputError } from '../errors.js';
import { existingDatabases } from '../db/introspect.js';
import { TARS_DATABASES } from '../db/tars-databases.js';
import type { Step } from '../steps.js';
import { containerSpec } from './container-spec.js';
import type { ClusterSession } from './session.js';
import { startHost } from './start-host.js';

export interface InstallResult {
  version: string;
  hosts: { name: string; role: string; image: string; secondsToHealthy: number }[];
}

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

export function installSteps(s: ClusterSession, version: string, result: InstallResult, timeoutMs?: number): Step[] {
  const start = (host: HostConfig): Step => ({
    title: `${host.role} ${host.name}: start ${containerSpec(s.config, host, version).image} and wait for its heartbeat`,
    run: async () => {
      const seconds = await startHost(s, host, version, timeoutMs);
      const image = containerSpec(s.config, host, version).image;
      result.hosts.push({ name: host.name, role: host.role, image, secondsToHealthy: seconds });
    },
  });
  return [
    { title: 'Check that the cluster is empty', run: () => assertEmptyCluster(s) },
    {
      title: 'Pull images on every host',
      concurrent: true,
      children: () => s.config.hosts.map((host) => pullStep(s, host, version)),
    },
    ...installOrder(s.config).map(
      (group): Step => ({
        title: `Start ${group[0]!.role === 'master' ? 'the master' : `${group[0]!.role}s`}`,
        // Nodes join independently; slaves one by one so each registry is proven before the next starts.
        concurrent: group[0]!.role === 'node',
        children: () => group.map(start),
      }),
    ),
  ];
}

export function pullStep(s: ClusterSession, host: HostConfig, version: string): Step {
  const image = containerSpec(s.config, host, version).image;
  return {
    title: `${host.name}: pull ${image}`,
    run: (progress) => pullImage(s.conn(host), image, s.config.registry, megabytes(progress)),
  };
}
