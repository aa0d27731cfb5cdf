import semver from 'semver';

export interface VersionTag {
  /** The tag exactly as the registry lists it, `v3.0.14` or `3.0.14`. */
  tag: string;
  version: semver.SemVer;
}

/** A tag is a version when, without one leading `v`, it is strict semver; `latest`, `stable`, `3.0` are not. */
export function parseVersionTag(tag: string): VersionTag | null {
  const version = semver.parse(tag.replace(/^[vV](?=\d)/, ''));
  return version ? { tag, version } : null;
}

export function isVersionTag(tag: string): boolean {
  return parseVersionTag(tag) !== null;
}

/** Newest first; `v3.0.14` and `3.0.14` are the same version, and the v-spelling sorts first to be stable. */
export function compareVersionTagsDesc(a: VersionTag, b: VersionTag): number {
  return semver.rcompare(a.version, b.version) || (a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0);
}
