/** What a host runs now, as observed; absent fields mean "no container". */
export interface HostNow {
  image?: string;
  state?: string;
  restarting?: boolean;
  /** A killed restart left its NAME.old behind: the container under the name was never proven. */
  interrupted?: boolean;
}

/** What a node's restart depends on beyond its image reference; its tag is a moving one. */
export interface NodeNow {
  /** The registry digest the node's image was pulled at (null: unknown, e.g. built on the host). */
  runningDigest: string | null;
  /** The digest the registry serves for the node tag now (absent: not asked, the image reference decides). */
  tagDigest?: string;
  /** Why the node must fetch tarsnode again although its image stays (the master moves, or moved without it). */
  refetch?: string;
}

export interface RecreateDecision {
  /** A new container from the old one's spec with the new image. */
  recreate: boolean;
  /** The same container stopped and started again (a node whose image did not move, to fetch tarsnode anew). */
  inPlace: boolean;
  cause: string;
}

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/**
 * The one place that decides whether a host's container must be recreated to run `image`, restarted in place,
 * or left alone, and says why. `node` is given for tars-node hosts: their tag moves, so its digest decides.
 */
export function decideRecreate(now: HostNow, image: string, node?: NodeNow): RecreateDecision {
  const recreate = (cause: string) => ({ recreate: true, inPlace: false, cause });
  if (!now.image) return recreate('no container');
  if (now.image !== image) return recreate(`runs ${now.image}`);
  if (now.interrupted) return recreate('a restart of it was interrupted before its health gate');
  if (now.restarting) return recreate('container keeps restarting');
  if (now.state !== 'running') return recreate(`container is ${now.state ?? 'unknown'}`);
  if (node) {
    const tag = image.slice(image.lastIndexOf(':') + 1);
    if (node.tagDigest && node.runningDigest !== node.tagDigest) {
      const runs = node.runningDigest ? `runs sha256:${short(node.runningDigest)}` : 'its digest is unknown';
      return recreate(`${tag} now points at sha256:${short(node.tagDigest)} (${runs})`);
    }
    if (node.refetch) {
      const still = node.tagDigest ? `; ${tag} still points at sha256:${short(node.tagDigest)}` : '';
      return { recreate: false, inPlace: true, cause: `${node.refetch}${still}` };
    }
  }
  return { recreate: false, inPlace: false, cause: `already runs ${image}` };
}
