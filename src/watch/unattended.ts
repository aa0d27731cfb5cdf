import { InputError } from '../errors.js';
import { parseVersionTag } from '../versions/parse.js';
import { candidateVersions, type VersionPolicy } from '../versions/policy.js';
import { currentWindow, type MaintenanceWindow } from './window.js';

/** `watch --upgrade`: patch = same major.minor, minor = same major; never a major step, never a downgrade. */
export type UpgradePolicy = 'patch' | 'minor';

export function parseUpgradePolicy(text: string): UpgradePolicy {
  if (text === 'patch' || text === 'minor') return text;
  throw new InputError(`--upgrade must be patch or minor (got "${text}")`, { key: 'upgrade' });
}

/** Pure: the newest tag above `current` that the policy (and --pre/--include/--exclude) allows, or null. */
export function allowedTarget(current: string, tags: Iterable<string>, policy: UpgradePolicy, versions: VersionPolicy = {}): string | null {
  const cur = parseVersionTag(current);
  if (!cur) return null;
  const ok = candidateVersions(tags, versions).find((v) =>
    v.version.compare(cur.version) > 0 && v.version.major === cur.version.major && (policy === 'minor' || v.version.minor === cur.version.minor));
  return ok?.tag ?? null;
}

export interface UnattendedInput {
  now: Date;
  windows: MaintenanceWindow[];
  policy: UpgradePolicy;
  versions?: VersionPolicy;
  /** The master's image tag (null: unreadable or no master container). */
  current: string | null;
  tags: string[];
  /** How long the last successful upgrade took, from history; null when there is none. */
  lastRunSeconds: number | null;
}

export type UnattendedDecision =
  | { start: true; from: string; to: string; reason: string }
  | { start: false; from: string | null; to: string | null; reason: string };

const minutes = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** Pure: start an upgrade now, or why not. Order: is there a version to go to, is a window open, can it hold the run. */
export function decideUnattended(i: UnattendedInput): UnattendedDecision {
  if (!i.current || !parseVersionTag(i.current)) {
    return { start: false, from: i.current, to: null, reason: `the master runs ${i.current ?? 'no readable tag'}, not a version tag: nothing to compare` };
  }
  const to = allowedTarget(i.current, i.tags, i.policy, i.versions);
  if (!to) return { start: false, from: i.current, to: null, reason: `no version newer than ${i.current} that --upgrade ${i.policy} allows` };
  const w = currentWindow(i.windows, i.now);
  if (!w.inside) {
    return { start: false, from: i.current, to, reason: `${to} waits for the window: outside ${w.window.spec}, it opens ${w.opens?.toISOString() ?? 'never'}` };
  }
  const needMs = (i.lastRunSeconds ?? 0) * 1000;
  if (needMs > w.remainingMs) {
    return {
      start: false, from: i.current, to,
      reason: `${to} waits for the next window: ${w.window.spec} closes in ${minutes(w.remainingMs)} (${w.closes.toISOString()}), the last upgrade took ${minutes(needMs)}`,
    };
  }
  const estimate = i.lastRunSeconds === null ? 'no upgrade in the history to estimate from' : `the last upgrade took ${minutes(needMs)}`;
  return { start: true, from: i.current, to, reason: `inside ${w.window.spec} until ${w.closes.toISOString()} (${minutes(w.remainingMs)} left; ${estimate})` };
}
