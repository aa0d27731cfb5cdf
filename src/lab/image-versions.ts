/** The stand-in releases the lab builds, lowest first. v3.0.17 is the release that never becomes healthy. */
export const LAB_VERSIONS: readonly string[] = ['v2.4.22', 'v3.0.6', 'v3.0.14', 'v3.0.16', 'v3.0.17'];
export const LAB_BAD_VERSION = 'v3.0.17';
export const LAB_GOOD_VERSIONS: readonly string[] = LAB_VERSIONS.filter((v) => v !== LAB_BAD_VERSION);
/** Newest good release: what tars-node's `stable` and `latest` point at. */
export const LAB_STABLE_VERSION = LAB_GOOD_VERSIONS[LAB_GOOD_VERSIONS.length - 1]!;

/** Repositories without a registry; a pull reference is `${registry}/${repo}:${tag}`. */
export const LAB_FRAMEWORK_REPO = 'tarscloud/framework';
export const LAB_NODE_REPO = 'tarscloud/tars-node';
export const LAB_NODE_ALIASES: readonly string[] = ['latest', 'stable'];

/** Every tag of the node repository: one per release plus the aliases of the stable one. */
export const LAB_NODE_TAGS: readonly string[] = [...LAB_VERSIONS, ...LAB_NODE_ALIASES];

/** TarsWeb's package.json version inside a stand-in framework image. */
export function labWebVersion(version: string): string {
  return version.replace(/^v/, '');
}
