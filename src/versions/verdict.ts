import semver from 'semver';
import { parseVersionTag } from './parse.js';

export type Verdict = 'up-to-date' | 'behind' | 'ahead' | 'moved' | 'unknown';

export interface VerdictInput {
  /** Tag the host runs; null when it runs an image by digest only or could not be read. */
  running: string | null;
  /** Digest the host pulled (its RepoDigest), when known. */
  runningDigest: string | null;
  /** Digest the registry now gives for the running tag; null when the tag is gone or was not asked. */
  registryDigest: string | null;
  /** Newest version the policy allows, null when the repository has none. */
  newest: string | null;
}

export interface VerdictResult {
  verdict: Verdict;
  reason: string;
}

/**
 * A versioned tag is compared by semver with the newest allowed version; a tag that is not a version (`latest`,
 * `stable`) can only be judged by whether the registry's digest for it is still the one the host pulled.
 * A version tag that was re-pushed with other content counts as `moved` too.
 */
export function hostVerdict(input: VerdictInput): VerdictResult {
  const { running, runningDigest, registryDigest, newest } = input;
  if (running === null) return { verdict: 'unknown', reason: 'running tag not known' };
  const moved = runningDigest !== null && registryDigest !== null && runningDigest !== registryDigest;
  const current = parseVersionTag(running);
  if (!current) {
    if (runningDigest === null || registryDigest === null) {
      const where = runningDigest === null ? 'on the host' : 'in the registry';
      return { verdict: 'unknown', reason: `${running} is not a version and its digest ${where} is not known` };
    }
    return moved
      ? { verdict: 'moved', reason: `${running} now points at ${short(registryDigest)}, host runs ${short(runningDigest)}` }
      : { verdict: 'up-to-date', reason: `${running} still points at ${short(runningDigest)}` };
  }
  const target = newest === null ? null : parseVersionTag(newest);
  if (!target) return { verdict: 'unknown', reason: 'the registry lists no version the policy allows' };
  const order = semver.compare(current.version, target.version);
  if (order < 0) return { verdict: 'behind', reason: `runs ${running}, newest is ${newest}` };
  if (order > 0) return { verdict: 'ahead', reason: `runs ${running}, newer than the newest allowed ${newest}` };
  if (moved) {
    const reason = `${running} was re-pushed: registry has ${short(registryDigest)}, host runs ${short(runningDigest)}`;
    return { verdict: 'moved', reason };
  }
  return { verdict: 'up-to-date', reason: `runs the newest version ${newest}` };
}

export function short(digest: string): string {
  const [algo, hex] = digest.split(':');
  return hex ? `${algo}:${hex.slice(0, 12)}` : digest;
}

/** A moving tag changed when its remembered digest and its current digest are both known and differ. */
export function tagMoved(remembered: string | null | undefined, current: string | null | undefined): boolean {
  return !!remembered && !!current && remembered !== current;
}
