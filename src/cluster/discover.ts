import type { Config, HostConfig } from '../config/types.js';
import type { DockerHost } from '../docker/connect.js';
import { listTarsContainers, type TarsContainer } from '../docker/tars-containers.js';
import { InputError } from '../errors.js';
import { LABEL } from './container-spec.js';

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
  /** Set when more Tars containers run than the inventory expects on this engine: every mutating command refuses. */
  conflict?: string;
}

/** current, else the new container of a half-done restart: what the host runs or is about to run. */
export function mainContainer(h: HostContainers): TarsContainer | undefined {
  return h.current ?? h.next;
}

const describe = (c: TarsContainer) => `${c.name} (${c.image}, ${c.state})`;

/**
 * Pure: which of an engine's Tars containers belongs to `host`. Hosts sharing the engine (a bridge layout) are told
 * apart by their `container:` name in the inventory (or tars-docker's host label); a host with no name gets the one
 * Tars container group that runs (or the only one there is). Two running where one is expected is a conflict.
 */
export function resolveHost(all: TarsContainer[], host: HostConfig, engineHosts: HostConfig[], project: string): HostContainers {
  const claim = (h: HostConfig): string | undefined => {
    if (h.container) return h.container;
    const labelled = all.find((c) => c.labels[LABEL.project] === project && c.labels[LABEL.host] === h.name);
    return labelled ? baseName(labelled.name) : undefined;
  };
  const claimed = new Map(engineHosts.map((h) => [h.name, claim(h)]));
  const unnamed = engineHosts.filter((h) => !claimed.get(h.name));
  if (unnamed.length > 1) {
    throw new InputError(`hosts ${unnamed.map((h) => h.name).join(', ')} share the engine ${host.docker.url}: give each one its \`container: NAME\` in the inventory`);
  }
  const groups = new Map<string, TarsContainer[]>();
  for (const c of all) groups.set(baseName(c.name), [...(groups.get(baseName(c.name)) ?? []), c]);
  const taken = new Set([...claimed.values()].filter((n): n is string => Boolean(n)));
  const free = [...groups.keys()].filter((n) => !taken.has(n));
  const runningFree = free.filter((n) => groups.get(n)!.some((c) => c.running));

  let name = claimed.get(host.name);
  let conflict: string | undefined;
  const runningExtra = (names: string[]) => names.flatMap((n) => groups.get(n)!.filter((c) => c.running));
  if (!name) {
    if (runningFree.length > 1) conflict = runningExtra(runningFree).map(describe).join(' and ');
    else if (runningFree.length === 1) name = runningFree[0];
    else if (free.length === 1) name = free[0];
  } else if (unnamed.length === 0 && runningFree.length > 0) {
    conflict = [...(groups.get(name) ?? []).filter((c) => c.running), ...runningExtra(runningFree)].map(describe).join(' and ');
  }
  const mine = name ? (groups.get(name) ?? []) : [];
  if (!conflict && mine.filter((c) => c.running).length > 1) conflict = mine.filter((c) => c.running).map(describe).join(' and ');
  const chosen = new Set([...taken, ...(name ? [name] : [])]);
  const result: HostContainers = {
    leftovers: free.filter((n) => !chosen.has(n)).flatMap((n) => groups.get(n)!).filter((c) => !c.running),
  };
  if (name) {
    result.name = name;
    const find = (n: string) => mine.find((c) => c.name === n);
    const current = find(name);
    const previous = find(name + PREVIOUS_SUFFIX);
    const next = find(name + NEXT_SUFFIX);
    const old = find(name + OLD_SUFFIX);
    if (old) result.old = old;
    if (current) result.current = current;
    if (previous) result.previous = previous;
    if (next) result.next = next;
  }
  if (conflict) result.conflict = `${host.name}: ${conflict} run on ${host.docker.url} where the inventory expects one Tars container; stop one, or name each host's \`container:\` in the inventory`;
  return result;
}

/** Reads the host's engine and resolves its containers. */
export async function discoverHost(config: Pick<Config, 'hosts' | 'images' | 'project'>, host: HostConfig, conn: DockerHost): Promise<HostContainers> {
  const all = await listTarsContainers(conn.docker, { framework: config.images.framework, node: config.images.node, project: config.project });
  const engineHosts = config.hosts.some((h) => h.name === host.name) ? config.hosts.filter((h) => h.docker.url === host.docker.url) : [host];
  return resolveHost(all, host, engineHosts, config.project);
}

/** Mutating commands call this before any step: two running Tars containers for one host is exit 2. */
export function assertNoConflict(found: HostContainers[]): void {
  const bad = found.find((f) => f.conflict);
  if (bad) throw new InputError(bad.conflict!);
}
