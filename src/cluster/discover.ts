import type { Config, HostConfig } from '../config/types.js';
import type { DockerHost } from '../docker/host.js';
import { LABEL } from '../docker/labels.js';
import type { TarsContainer } from '../docker/tars-containers.js';
import { InputError } from '../errors.js';

/** Names a restart gives the host's container on the way: the new one before it takes the name, the old one after. */
export const NEXT_SUFFIX = '.next';
export const PREVIOUS_SUFFIX = '.previous';
/** The replaced container while the new one proves itself; it becomes NAME.previous only when the new one passed. */
export const OLD_SUFFIX = '.old';

export function baseName(name: string): string {
  const suffix = [NEXT_SUFFIX, PREVIOUS_SUFFIX, OLD_SUFFIX].find((x) => name.endsWith(x));
  return suffix ? name.slice(0, -suffix.length) : name;
}

/** The Tars containers of one inventory host, as found on its engine. */
export interface HostContainers {
  /** The name the host's container has (and keeps across upgrades); undefined when the host has none. */
  name?: string;
  /** The container under that name, running or not. */
  current?: TarsContainer;
  /** NAME.previous: the container the last restart replaced, kept for an exact rollback. */
  previous?: TarsContainer;
  /** NAME.next: a new container a killed restart created and had not yet given the name. */
  next?: TarsContainer;
  /** NAME.old: the container a killed restart had replaced and not yet kept as NAME.previous. */
  old?: TarsContainer;
  /** Other stopped Tars containers on the engine that belong to no inventory host: listed, never chosen. */
  leftovers: TarsContainer[];
  /** Every Tars container on the engine that belongs to no inventory host, running (a conflict) or not. */
  unclaimed?: TarsContainer[];
  /** Set when more Tars containers run than the inventory expects on this engine: every mutating command refuses. */
  conflict?: string;
}

/** current, else the new container of a half-done restart: what the host runs or is about to run. */
export function mainContainer(h: HostContainers): TarsContainer | undefined {
  return h.current ?? h.next;
}

const describe = (c: TarsContainer) => `${c.name} (${c.image}, ${c.state})`;

/**
 * Pure: which of an engine's Tars containers belongs to `host`. Containers are grouped by base name (NAME,
 * NAME.next, NAME.old, NAME.previous). A host's `container:` in the inventory names its group outright (hosts
 * sharing one engine, the bridge layout); otherwise the one group that runs and no other host names is the host's,
 * else the group tars-docker labelled for it, else the only group there is. More running groups on the engine than
 * inventory hosts there (or two running in one group) is a conflict every mutating command refuses.
 */
export function resolveHost(all: TarsContainer[], host: HostConfig, engineHosts: HostConfig[], project: string): HostContainers {
  const labelled = (h: HostConfig) => {
    const c = all.find((x) => x.labels[LABEL.project] === project && x.labels[LABEL.host] === h.name);
    return c ? baseName(c.name) : undefined;
  };
  const unnamed = engineHosts.filter((h) => !h.container);
  if (unnamed.length > 1) {
    throw new InputError(`hosts ${unnamed.map((h) => h.name).join(', ')} share the engine ${host.docker.url}: give each one its \`container: NAME\` in the inventory`);
  }
  const groups = new Map<string, TarsContainer[]>();
  for (const c of all) groups.set(baseName(c.name), [...(groups.get(baseName(c.name)) ?? []), c]);
  const running = (n: string) => (groups.get(n) ?? []).filter((c) => c.running);
  const named = new Set(engineHosts.flatMap((h) => (h.container ? [h.container] : [])));
  const others = engineHosts.filter((h) => h.name !== host.name).flatMap((h) => (h.container ? [] : [labelled(h)])).filter(Boolean);
  let name = host.container;
  if (!name) {
    const free = [...groups.keys()].filter((n) => !named.has(n) && !others.includes(n));
    const runningFree = free.filter((n) => running(n).length > 0);
    name = runningFree.length === 1 ? runningFree[0] : runningFree.length === 0 ? (labelled(host) ?? (free.length === 1 ? free[0] : undefined)) : undefined;
  }
  const runningGroups = [...groups.keys()].filter((n) => running(n).length > 0);
  let conflict: string | undefined;
  if (runningGroups.length > engineHosts.length || (name && running(name).length > 1)) {
    const list = (runningGroups.length > engineHosts.length ? runningGroups.flatMap(running) : running(name!)).map(describe).join(' and ');
    const expects = engineHosts.length === 1 ? 'one Tars container' : `${engineHosts.length} Tars containers`;
    conflict = `${host.name}: ${list} run on ${host.docker.url} where the inventory expects ${expects}; stop one, or name each host's \`container:\` in the inventory`;
  }
  const claimed = new Set([...named, ...(others as string[]), ...(name ? [name] : [])]);
  const unclaimed = [...groups.keys()].filter((n) => !claimed.has(n)).flatMap((n) => groups.get(n)!);
  const result: HostContainers = { unclaimed, leftovers: unclaimed.filter((c) => !c.running) };
  if (conflict) result.conflict = conflict;
  if (!name) return result;
  result.name = name;
  const mine = groups.get(name) ?? [];
  const find = (n: string) => mine.find((c) => c.name === n);
  const parts = { current: find(name), previous: find(name + PREVIOUS_SUFFIX), next: find(name + NEXT_SUFFIX), old: find(name + OLD_SUFFIX) };
  for (const [k, c] of Object.entries(parts)) if (c) result[k as keyof typeof parts] = c;
  return result;
}

/** Reads the host's engine and resolves its containers. */
export async function discoverHost(config: Pick<Config, 'hosts' | 'images' | 'project'>, host: HostConfig, conn: DockerHost): Promise<HostContainers> {
  const all = await conn.tarsContainers({ framework: config.images.framework, node: config.images.node, project: config.project });
  const engineHosts = config.hosts.some((h) => h.name === host.name) ? config.hosts.filter((h) => h.docker.url === host.docker.url) : [host];
  return resolveHost(all, host, engineHosts, config.project);
}

/** Mutating commands call this before any step: two running Tars containers for one host is exit 2. */
export function assertNoConflict(found: HostContainers[]): void {
  const bad = found.find((f) => f.conflict);
  if (bad) throw new InputError(bad.conflict!);
}
