import { fileURLToPath } from 'node:url';
import type { Config, HostConfig, Role } from '../config/types.js';
import { connectHost, type DockerHost } from '../docker/connect.js';
import type { TarsContainer } from '../docker/tars-containers.js';
import { discoverHost } from './discover.js';
import { assertGuardClean, collectGuardInputs, listComposeFiles, runGuard, type ContainerInput, type GuardReport } from '../guard/index.js';
import { containerSpec } from './container-spec.js';

const COMPOSE_DIR = fileURLToPath(new URL('../../compose/', import.meta.url));

export interface GuardOptions {
  /** Extra compose files given with --compose. */
  composeFiles?: string[];
  shellEnv?: Record<string, string | undefined>;
}

/** Reads every source REBUILD and its kin can come from, live containers included, and judges them. */
export async function guardCluster(config: Config, opts: GuardOptions = {}, hosts?: DockerHost[]): Promise<GuardReport> {
  const containers = (await Promise.all(config.hosts.map((h) => tarsContainers(config, h, hosts?.find((c) => c.name === h.name))))).flat();
  const inputs = collectGuardInputs({
    envFile: config.envFile,
    composeFiles: [...listComposeFiles(COMPOSE_DIR).filter((f) => !f.endsWith('watch.yml')), ...(opts.composeFiles ?? [])],
    inventoryFile: config.inventoryFile,
    shellEnv: opts.shellEnv ?? process.env,
    containers,
    managedEnv: Object.fromEntries(config.hosts.map((h) => [h.name, containerSpec(config, h, 'current').vars])),
  });
  return runGuard(inputs);
}

/**
 * Every Tars container on a host, as discovery finds them: its own (also kept and half-made ones) and, once per
 * engine, the stopped leftovers. Stopped ones count: a start would run their env.
 */
async function tarsContainers(config: Config, host: HostConfig, given?: DockerHost): Promise<ContainerInput[]> {
  const conn = given ?? (await connectHost(host));
  try {
    const found = await discoverHost(config, host, conn);
    const firstOnEngine = config.hosts.find((h) => h.docker.url === host.docker.url) === host;
    const own = [found.current, found.next, found.previous].filter((c) => c !== undefined);
    const leftovers = firstOnEngine ? found.leftovers : [];
    const roleOf = (c: TarsContainer): Role => (c.kind === 'node' ? 'node' : c.slave ? 'slave' : 'master');
    return [
      ...own.map((c) => ({ host: host.name, role: host.role, container: c.name, env: c.env })),
      ...leftovers.map((c) => ({ host: host.name, role: roleOf(c), container: c.name, env: c.env })),
    ];
  } finally {
    if (!given) await conn.close();
  }
}

/** Every command that creates or recreates a container calls this before touching any host. */
export async function enforceGuard(config: Config, hosts?: DockerHost[], opts: GuardOptions = {}): Promise<void> {
  assertGuardClean(await guardCluster(config, opts, hosts));
}
