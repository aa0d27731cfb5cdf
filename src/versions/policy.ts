import { InputError } from '../errors.js';
import { compareVersionTagsDesc, parseVersionTag, type VersionTag } from './parse.js';

export interface VersionPolicy {
  /** Consider prereleases (`v3.1.0-rc.1`) as candidates; `--pre`. */
  pre?: boolean;
  /** Only tags this regex finds something in (unanchored, tested against the tag as listed); `--include`. */
  include?: string | RegExp;
  /** Drop tags this regex finds something in; `--exclude`. */
  exclude?: string | RegExp;
}

interface Compiled {
  pre: boolean;
  include: RegExp | null;
  exclude: RegExp | null;
}

function compile(policy: VersionPolicy): Compiled {
  return {
    pre: policy.pre ?? false,
    include: toRegExp(policy.include, 'include'),
    exclude: toRegExp(policy.exclude, 'exclude'),
  };
}

function toRegExp(value: string | RegExp | undefined, flag: string): RegExp | null {
  if (value === undefined || value === '') return null;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, ''));
  try {
    return new RegExp(value);
  } catch (err) {
    throw new InputError(`--${flag} "${value}" is not a valid regular expression`, { key: flag }, { cause: err });
  }
}

/** Throws InputError for a bad regex, so the CLI can validate flags before any network traffic. */
export function validatePolicy(policy: VersionPolicy): void {
  compile(policy);
}

/** The versions the policy allows, newest first; tags that are not versions never qualify. */
export function candidateVersions(tags: Iterable<string>, policy: VersionPolicy = {}): VersionTag[] {
  const p = compile(policy);
  const out: VersionTag[] = [];
  for (const tag of tags) {
    if (p.include && !p.include.test(tag)) continue;
    if (p.exclude && p.exclude.test(tag)) continue;
    const v = parseVersionTag(tag);
    if (!v || (!p.pre && v.version.prerelease.length > 0)) continue;
    out.push(v);
  }
  return out.sort(compareVersionTagsDesc);
}

export function newestVersion(tags: Iterable<string>, policy: VersionPolicy = {}): VersionTag | null {
  return candidateVersions(tags, policy)[0] ?? null;
}
