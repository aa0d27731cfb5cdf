import { fileURLToPath } from 'node:url';
import type { Config, HostConfig } from '../config/types.js';
import { connectHost, type DockerHost } from '../docker/connect.js';
import { inspectContainer } from '../docker/containers.js';
import { assertGuardClean, collectGuardInputs, listComposeFiles, runGuard, type ContainerInput, type GuardReport } from '../guard/index.js';
import { parseReference, sameRepository, tryParseReference } from '../registry/reference.js';
import { containerSpec, LABEL } from './container-spec.js';

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
 * Every Tars container on a host, ours or started by hand: labelled by us, or running the configured framework
 * or node repository, or carrying REBUILD in its env. Stopped ones count: a start would run their env.
 */
async function tarsContainers(config: Config, host: HostConfig, given?: DockerHost): Promise<ContainerInput[]> {
  const conn = given ?? (await connectHost(host));
  try {
    const list = await conn.docker.listContainers({ all: true });
    const repos = [config.images.framework, config.images.node].map((r) => parseReference(r));
    const out: ContainerInput[] = [];
    for (const c of list) {
      const ours = c.Labels?.[LABEL.project] === config.project;
      const image = tryParseReference(c.Image);
      const tarsImage = image !== null && repos.some((r) => sameRepository(r, image));
      const facts = await inspectContainer(conn.docker, c.Id);
      if (!ours && !tarsImage && !facts.env.some((e) => e.startsWith('REBUILD='))) continue;
      const role = ours ? host.role : facts.env.some((e) => e.startsWith('WEB_HOST=')) ? 'node' : host.role;
      out.push({ host: host.name, role, container: facts.name, env: facts.env });
    }
    return out;
  } finally {
    if (!given) await conn.close();
  }
}


/** Every command that creates or recreates a container calls this before touching any host. */
export async function enforceGuard(config: Config, hosts?: DockerHost[], opts: GuardOptions = {}): Promise<void> {
  assertGuardClean(await guardCluster(config, opts, hosts));
}
