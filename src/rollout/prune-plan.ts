import semver from 'semver';
import type { ContainerImage, ImageRef, TarsImage } from '../docker/tars-images.js';
import { parseVersionTag } from '../versions/parse.js';

export interface PruneInput {
  /** The engine's hosts (one name, or several hosts that share an engine). */
  host: string;
  images: TarsImage[];
  /** Every container on the engine (running or stopped, NAME.previous included) with the image id it uses. */
  containers: ContainerImage[];
  /** Tags a rollback without --to goes back to: kept even when no container uses them. */
  rollbackTags: string[];
  keep: number;
}

export interface KeptImage {
  id: string;
  refs: string[];
  reasons: string[];
}

export interface PruneHostPlan {
  host: string;
  remove: { id: string; refs: string[] }[];
  keep: KeptImage[];
}

const refText = (r: ImageRef) => `${r.repository}:${r.tag}`;

/** The highest version among an image's tags in one repository, if it has a version tag there. */
function versionIn(image: TarsImage, repository: string): semver.SemVer | undefined {
  const versions = image.refs.filter((r) => r.repository === repository).flatMap((r) => parseVersionTag(r.tag)?.version ?? []);
  return versions.sort(semver.rcompare)[0];
}

/**
 * Newest first within a repository: by version tag where both images have one (an image rebuilt or pulled later is
 * not newer than a higher release), else by creation time; the id breaks ties so the order is stable.
 */
function newerIn(repository: string): (a: TarsImage, b: TarsImage) => number {
  return (a, b) => {
    const va = versionIn(a, repository);
    const vb = versionIn(b, repository);
    return (va && vb ? semver.rcompare(va, vb) : 0) || b.created - a.created || a.id.localeCompare(b.id);
  };
}

/** Pure: which Tars images of one engine go, and why each of the others stays. */
export function planPrune(input: PruneInput): PruneHostPlan {
  const newest = new Map<string, Set<string>>();
  for (const repository of new Set(input.images.flatMap((i) => i.refs.map((r) => r.repository)))) {
    const ranked = input.images
      .filter((i) => i.refs.some((r) => r.repository === repository))
      .sort(newerIn(repository))
      .slice(0, input.keep);
    for (const i of ranked) newest.set(i.id, new Set([...(newest.get(i.id) ?? []), repository]));
  }
  const plan: PruneHostPlan = { host: input.host, remove: [], keep: [] };
  const ordered = [...input.images].sort((a, b) => b.created - a.created || a.id.localeCompare(b.id));
  for (const image of ordered) {
    const users = input.containers.filter((c) => c.imageId === image.id).map((c) => c.name).sort();
    const targets = image.refs.filter((r) => input.rollbackTags.includes(r.tag)).map((r) => r.tag);
    const reasons = [
      ...(users.length ? [`in use by ${users.join(', ')}`] : []),
      ...[...new Set(targets)].map((t) => `rollback target ${t}`),
      ...[...(newest.get(image.id) ?? [])].map((repo) => `among the ${input.keep} newest of ${repo}`),
    ];
    const refs = image.refs.map(refText).sort();
    if (reasons.length) plan.keep.push({ id: image.id, refs, reasons });
    else plan.remove.push({ id: image.id, refs });
  }
  return plan;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** One line per image: what goes and (unless `kept` is false) what stays. */
export function renderPrunePlan(plan: PruneHostPlan, o: { removed?: boolean; kept?: boolean } = {}): string[] {
  return [
    ...plan.remove.map((i) => `${plan.host}: ${o.removed ? 'removed' : 'remove'} ${i.refs.join(' ')} (${short(i.id)})`),
    ...(o.kept === false ? [] : plan.keep.map((i) => `${plan.host}: keep ${i.refs.join(' ')} (${short(i.id)}): ${i.reasons.join('; ')}`)),
  ];
}
