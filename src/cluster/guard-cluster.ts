import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { checkComposePins, type ComposePin } from '../guard/checks/compose-pin.js';
import type { Config, HostConfig, Role } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import type { TarsContainer } from '../docker/tars-containers.js';
import { baseName, discoverHost } from './discover.js';
import { assertGuardClean, collectGuardInputs, listComposeFiles, runGuard, type ContainerInput, type GuardReport } from '../guard/index.js';
import { COMPOSE_DIR, containerSpec } from './container-spec.js';

export interface GuardOptions {
  /** Extra compose files given with --compose. */
  composeFiles?: string[];
  shellEnv?: Record<string, string | undefined>;
}

/** Reads every source REBUILD and its kin can come from, live containers included, and judges them. */
export async function guardCluster(config: Config, opts: GuardOptions = {}, hosts?: DockerHost[]): Promise<GuardReport> {
  const found = (await Promise.all(config.hosts.map((h) => tarsContainers(config, h, hosts?.find((c) => c.name === h.name))))).flat();
  const containers = found.map((f) => f.input);
  // the operator's own compose files that made containers are sources too (where this machine can read them)
  const pins = found.flatMap((f) => (f.container.origin === 'compose' ? composePins(f.input.host, f.container) : []));
  const operatorFiles = [...new Set(pins.map((p) => p.file))];
  const inputs = collectGuardInputs({
    envFile: config.envFile,
    composeFiles: [...listComposeFiles(COMPOSE_DIR).filter((f) => !f.endsWith('watch.yml')), ...(opts.composeFiles ?? []), ...operatorFiles],
    inventoryFile: config.inventoryFile,
    shellEnv: opts.shellEnv ?? process.env,
    containers,
    managedEnv: Object.fromEntries(config.hosts.map((h) => [h.name, containerSpec(config, h, 'current').vars])),
  });
  const report = runGuard(inputs);
  const findings = [...report.findings, ...checkComposePins(pins.filter((p) => baseName(p.container) === p.container))];
  return { findings, blocking: report.blocking };
}

/** Where a compose-made container's service names its image, read from the file its labels name. */
function composePins(host: string, c: TarsContainer): ComposePin[] {
  const service = c.labels['com.docker.compose.service'];
  return c.composeFiles.flatMap((file) => {
    if (!service || !existsSync(file)) return [];
    try {
      const doc = parseDocument(readFileSync(file, 'utf8'), { keepSourceTokens: false });
      const node = doc.getIn(['services', service, 'image'], true) as { value?: unknown; range?: [number, number, number] } | undefined;
      const text = doc.toString();
      const line = node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined;
      const written = typeof node?.value === 'string' ? node.value : undefined;
      return [{ host, container: c.name, image: c.image, file, service, ...(written ? { written } : {}), ...(line ? { line } : {}) }];
    } catch {
      return [];
    }
  });
}

/**
 * Every Tars container on a host, as discovery finds them: its own (also kept and half-made ones) and, once per
 * engine, the stopped leftovers. Stopped ones count: a start would run their env.
 */
async function tarsContainers(config: Config, host: HostConfig, given?: DockerHost): Promise<{ input: ContainerInput; container: TarsContainer }[]> {
  const conn = given ?? (await connectHost(host));
  try {
    const found = await discoverHost(config, host, conn);
    const firstOnEngine = config.hosts.find((h) => h.docker.url === host.docker.url)?.name === host.name;
    const own = [found.current, found.next, found.old, found.previous].filter((c) => c !== undefined);
    const leftovers = firstOnEngine ? (found.unclaimed ?? found.leftovers) : [];
    const roleOf = (c: TarsContainer): Role => (c.kind === 'node' ? 'node' : c.slave ? 'slave' : 'master');
    return [
      ...own.map((c) => ({ input: { host: host.name, role: host.role, container: c.name, env: c.env }, container: c })),
      ...leftovers.map((c) => ({ input: { host: host.name, role: roleOf(c), container: c.name, env: c.env }, container: c })),
    ];
  } finally {
    if (!given) await conn.close();
  }
}

/** Every command that creates or recreates a container calls this before touching any host. */
export async function enforceGuard(config: Config, hosts?: DockerHost[], opts: GuardOptions = {}): Promise<void> {
  assertGuardClean(await guardCluster(config, opts, hosts));
}
