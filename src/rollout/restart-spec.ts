import type { HostContainers } from '../cluster/discover.js';
import type { RestartPolicy } from '../docker/containers.js';
import type { Origin, TarsContainer } from '../docker/tars-containers.js';

export interface ContainerRef {
  id: string;
  name: string;
  image: string;
}

/** Everything one host's restart does, decided at plan time from what runs; the handler re-derives nothing. */
export interface RestartSpec {
  /** The name the host's container has before and after. */
  container: string;
  origin: Origin;
  /** The operator's compose files that made it (they still pin the old tag afterwards). */
  composeFiles: string[];
  /** The container under that name now: stopped, then kept as NAME.previous. Null when a killed run already moved it. */
  replace: ContainerRef | null;
  /**
   * What takes the name: a clone of a container's inspected spec with the new image, or a container that exists;
   * `inPlace`: the container under the name itself, stopped and started again (same image, same data).
   */
  candidate: { clone: ContainerRef } | { existing: ContainerRef } | { inPlace: ContainerRef };
  image: string;
  /** What comes back under the name if the candidate fails its gate. */
  fallback: ContainerRef | null;
  /** The restart policy the container under the name runs with (kept containers get `no` meanwhile). */
  restartPolicy: RestartPolicy;
  keeps: string[];
}

const ref = (c: TarsContainer): ContainerRef => ({ id: c.id, name: c.name, image: c.image });

/**
 * Pure: how a host gets to `image` from the containers found. A rerun after a kill finds one of the intermediate
 * states and continues from it: the new container still under NAME.next, or already under NAME but not started.
 * A rollback takes back the kept container (NAME.previous) when it holds the target image: exact and instant.
 */
export function restartSpec(found: HostContainers, image: string, mode: 'upgrade' | 'rollback'): RestartSpec | undefined {
  const { current, next } = found;
  // the replaced container of a killed run is newer than the kept one: it is what comes back
  const previous = found.old ?? found.previous;
  const base = current ?? next ?? previous;
  if (!found.name || !base) return undefined;
  const common = { container: found.name, origin: base.origin, composeFiles: base.composeFiles, image, restartPolicy: base.restartPolicy, keeps: base.keeps };
  const fallbackIfMoved = previous ? ref(previous) : null;
  // not started yet, or started by a run killed before its gate: start (if need be) and prove it
  if (current && current.image === image && (!current.running || found.old)) {
    return { ...common, replace: null, candidate: { existing: ref(current) }, fallback: fallbackIfMoved };
  }
  if (!current && next && next.image === image) {
    return { ...common, replace: null, candidate: { existing: ref(next) }, fallback: fallbackIfMoved };
  }
  if (!current) {
    return { ...common, replace: null, candidate: { clone: ref((previous ?? next)!) }, fallback: fallbackIfMoved };
  }
  const kept = mode === 'rollback' ? [next, found.old, found.previous].find((c) => c?.image === image) : undefined;
  return {
    ...common,
    replace: ref(current),
    candidate: kept ? { existing: ref(kept) } : { clone: ref(current) },
    fallback: ref(current),
  };
}

/** Pure: a restart of the host's running container itself; there is nothing else to go back to. */
export function inPlaceSpec(found: HostContainers): RestartSpec | undefined {
  const c = found.current;
  if (!found.name || !c) return undefined;
  return {
    container: found.name, origin: c.origin, composeFiles: c.composeFiles, image: c.image, restartPolicy: c.restartPolicy,
    keeps: ['everything (the same container)'], replace: null, candidate: { inPlace: ref(c) }, fallback: null,
  };
}

/** Pure: the lines under a restart step in the printed plan. */
export function renderRestart(r: RestartSpec): string[] {
  const by = r.origin === 'tars-docker' ? 'made by tars-docker' : r.origin === 'compose' ? `made by compose ${r.composeFiles.join(',') || '(file unknown)'}` : 'made by hand';
  if ('inPlace' in r.candidate) {
    const c = r.candidate.inPlace;
    return [
      `container ${r.container} (${by}): restarted in place, the same container ${c.id.slice(0, 12)} ${c.image}; nothing recreated, nothing pulled`,
      'on failure: nothing to go back to (it is the same container)',
      `keeps: ${r.keeps.join(', ')}`,
    ];
  }
  const what = 'clone' in r.candidate
    ? `new container from ${r.candidate.clone.name}'s spec`
    : `start ${r.candidate.existing.name} (${r.candidate.existing.id.slice(0, 12)})`;
  return [
    `container ${r.container} (${by}): ${r.replace ? `replaces ${r.replace.id.slice(0, 12)} ${r.replace.image}, kept as ${r.container}.previous` : 'already moved aside'}; ${what}`,
    `on failure: ${r.fallback ? `back to ${r.fallback.id.slice(0, 12)} ${r.fallback.image}` : 'nothing to go back to'}`,
    `keeps: ${r.keeps.join(', ') || '(nothing beyond the image)'}`,
  ];
}
