import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { HostError } from '../errors.js';
import { assertGuardClean, collectGuardInputs, listComposeFiles, runGuard, type GuardReport } from '../guard/index.js';
import { containerSpec } from './container-spec.js';
import { observeHosts, type ObservedHost } from './observe.js';
import type { DockerHost } from '../docker/connect.js';

const COMPOSE_DIR = fileURLToPath(new URL('../../compose/', import.meta.url));

export interface GuardOptions {
  /** Extra compose files given with --compose. */
  composeFiles?: string[];
  shellEnv?: Record<string, string | undefined>;
}

/** Reads every source REBUILD and its kin can come from, live containers included, and judges them. */
export async function guardCluster(config: Config, opts: GuardOptions = {}, hosts?: DockerHost[]): Promise<GuardReport> {
  const observed = await observeHosts(config, hosts);
  const unreachable = observed.find((o) => !o.reachable);
  if (unreachable) throw new HostError(unreachable.host.name, `guard cannot read its containers: ${unreachable.error ?? 'unreachable'}`);
  const inputs = collectGuardInputs({
    envFile: config.envFile,
    composeFiles: [...listComposeFiles(COMPOSE_DIR).filter((f) => !f.endsWith('watch.yml')), ...(opts.composeFiles ?? [])],
    inventoryFile: config.inventoryFile,
    shellEnv: opts.shellEnv ?? process.env,
    containers: observed.flatMap(containerInput),
    managedEnv: Object.fromEntries(config.hosts.map((h) => [h.name, containerSpec(config, h, 'current').vars])),
  });
  return runGuard(inputs);
}

function containerInput(o: ObservedHost) {
  return o.container ? [{ host: o.host.name, role: o.host.role, container: o.container.name, env: o.container.env }] : [];
}

/** Every command that creates or recreates a container calls this before touching any host. */
export async function enforceGuard(config: Config, hosts?: DockerHost[], opts: GuardOptions = {}): Promise<void> {
  assertGuardClean(await guardCluster(config, opts, hosts));
}
