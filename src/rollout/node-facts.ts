import type { ObservedHost } from '../cluster/observe.js';
import { containerSpec } from '../cluster/container-spec.js';
import { tarsnodeVersions } from '../cluster/heartbeats.js';
import type { ClusterSession } from '../cluster/session.js';
import type { RegistryClient } from '../registry/index.js';
import { parseReference, repoDigestFor } from '../registry/reference.js';
import type { NodeFacts } from './plan.js';

/**
 * Read-only: what decides each node's restart, since its tag moves: the digest the registry serves for the
 * configured node tag, the digest the node's image was pulled at, and the tarsnode version its heartbeat row
 * carries; plus the tarsnode version the running master serves (TarsFramework's, inside its image).
 */
export async function readNodeFacts(
  s: ClusterSession,
  client: RegistryClient,
  observed: ObservedHost[],
  to: string,
): Promise<{ nodes: Record<string, NodeFacts>; masterServes?: string }> {
  const nodes = observed.filter((o) => o.host.role === 'node');
  const tarsnode = nodes.length ? await tarsnodeVersions(s.mysql) : new Map<string, string>();
  const tagDigests = new Map<string, Promise<string | null>>();
  const tagDigest = (image: string) => {
    if (!tagDigests.has(image)) {
      const ref = parseReference(image);
      tagDigests.set(image, client.digest(ref, ref.tag!));
    }
    return tagDigests.get(image)!;
  };
  const facts: Record<string, NodeFacts> = {};
  await Promise.all(
    nodes.map(async (o) => {
      const image = containerSpec(s.config, o.host, to).image;
      const [want, running] = await Promise.all([tagDigest(image), o.container ? pulledDigest(s, o, image) : null]);
      const version = tarsnode.get(o.host.address);
      facts[o.host.name] = { runningDigest: running, ...(want ? { tagDigest: want } : {}), ...(version ? { tarsnodeVersion: version } : {}) };
    }),
  );
  const serves = observed.find((o) => o.host.role === 'master')?.inner?.frameworkVersion;
  return { nodes: facts, ...(serves ? { masterServes: serves } : {}) };
}

/** The registry digest the node's image was pulled at, when it runs the image the plan wants. */
async function pulledDigest(s: ClusterSession, o: ObservedHost, image: string): Promise<string | null> {
  const c = o.container!;
  if (c.image !== image) return null;
  const info = await s.conn(o.host).inspectImage(c.imageId).catch(() => undefined);
  return repoDigestFor(image, info?.repoDigests ?? []);
}
