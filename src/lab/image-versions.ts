/** The stand-in releases the lab builds, lowest first. v3.0.17 is the release that never becomes healthy. */
export const LAB_VERSIONS: readonly string[] = ['v2.4.22', 'v3.0.6', 'v3.0.14', 'v3.0.16', 'v3.0.17'];
export const LAB_BAD_VERSION = 'v3.0.17';
export const LAB_GOOD_VERSIONS: readonly string[] = LAB_VERSIONS.filter((v) => v !== LAB_BAD_VERSION);
/** Newest good framework release. */
export const LAB_STABLE_VERSION = LAB_GOOD_VERSIONS[LAB_GOOD_VERSIONS.length - 1]!;

/** Repositories without a registry; a pull reference is `${registry}/${repo}:${tag}`. */
export const LAB_FRAMEWORK_REPO = 'tarscloud/framework';
export const LAB_NODE_REPO = 'tarscloud/tars-node';

/**
 * tars-node has no version tags (TarsDocker's tarsnode workflows): one image per runtime flavour, and the `full`
 * build is pushed as full, stable and latest. A node "release" is a re-push of such a tag with a new digest.
 */
export const LAB_NODE_FLAVOURS: readonly string[] = ['full', 'cpp', 'java', 'nodejs', 'php'];
export const LAB_NODE_ALIASES: readonly string[] = ['stable', 'latest'];
export const LAB_NODE_TAGS: readonly string[] = [...LAB_NODE_FLAVOURS, ...LAB_NODE_ALIASES];

/**
 * What the real image of each tag carries inside, so the stand-in carries the same: TarsFramework's version
 * (FRAMEWORK_VERSION.txt, from the framework submodule TarsCloud/Tars pins at that tag) and TarsWeb's (the
 * web submodule's package.json). Neither follows the image tag.
 */
const LAB_INNER_VERSIONS: Readonly<Record<string, { framework: string; web: string }>> = {
  'v2.4.22': { framework: '2.4.17', web: '2.4.22' },
  'v3.0.6': { framework: '3.0.5', web: '2.4.27' },
  'v3.0.14': { framework: '3.0.11', web: '3.0.10' },
  'v3.0.16': { framework: '3.0.12', web: '3.0.12' },
  'v3.0.17': { framework: '3.0.14', web: '3.0.13' },
};

function innerVersions(tag: string): { framework: string; web: string } {
  const inner = LAB_INNER_VERSIONS[tag];
  if (!inner) throw new Error(`lab: no inner versions known for image tag ${tag}`);
  return inner;
}

/** TarsWeb's package.json version inside the stand-in framework image of `tag`. */
export function labWebVersion(tag: string): string {
  return innerVersions(tag).web;
}

/** TarsFramework's FRAMEWORK_VERSION.txt inside the stand-in framework image of `tag`. */
export function labFrameworkVersion(tag: string): string {
  return innerVersions(tag).framework;
}
