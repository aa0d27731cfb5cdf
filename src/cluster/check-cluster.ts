import type { Config } from '../config/types.js';
import type { RegistryClient } from '../registry/index.js';
import { repoDigestFor } from '../registry/reference.js';
import { runCheck, type CheckReport, type HostObservation, type VersionPolicy } from '../versions/index.js';
import { observeHosts, tagOf } from './observe.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import { errorMessage } from '../errors.js';

export type ImageChoice = 'framework' | 'node' | 'all';

/**
 * What every host runs, with the registry digest of its image; hosts are read in parallel, each over one
 * connection for both looks (a second ssh handshake per host is what grew with the number of hosts).
 */
export async function observeRunningImages(config: Config): Promise<HostObservation[]> {
  // a host that cannot be connected here is tried again, and reported, by observeHosts
  const conns = (await Promise.allSettled(config.hosts.map((h) => connectHost(h)))).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const observed = await observeHosts(config, conns);
    return await Promise.all(
      observed.map(async (o): Promise<HostObservation> => {
        if (!o.reachable) return { name: o.host.name, role: o.host.role, image: null, error: o.error ?? 'unreachable' };
        if (!o.container) return { name: o.host.name, role: o.host.role, image: null };
        const image = o.container.image;
        // observeHosts connected itself when the first attempt here failed and its own did not
        const given = conns.find((c) => c.name === o.host.name);
        const conn = given ?? (await connectHost(o.host));
        try {
          return { name: o.host.name, role: o.host.role, image, digest: await localDigest(conn, o.host.name, o.container.imageId, image) };
        } finally {
          if (!given) await conn.close();
        }
      }),
    );
  } finally {
    await Promise.all(conns.map((c) => c.close()));
  }
}

async function localDigest(conn: DockerHost, hostName: string, imageId: string, image: string): Promise<string | null> {
  try {
    const info = await conn.inspectImage(imageId);
    return repoDigestFor(image, info.repoDigests);
  } catch (err) {
    throw new Error(`${hostName}: cannot inspect image ${image}: ${errorMessage(err)}`);
  }
}

/** Which repositories to ask: a moving node tag (latest, stable) is asked with its tag so a re-push shows. */
export function imagesToCheck(config: Config, choice: ImageChoice, hosts: HostObservation[]): string[] {
  const images: string[] = [];
  if (choice !== 'node') images.push(config.images.framework);
  if (choice !== 'framework') {
    const nodeTag = config.images.nodeTag || tagOf(hosts.find((h) => h.role === 'node')?.image ?? '') || '';
    images.push(nodeTag && !/^v?\d/.test(nodeTag) ? `${config.images.node}:${nodeTag}` : config.images.node);
  }
  return images;
}

export async function checkCluster(
  config: Config,
  client: RegistryClient,
  choice: ImageChoice,
  policy: VersionPolicy,
  signal?: AbortSignal,
): Promise<{ report: CheckReport; unreadable: HostObservation[] }> {
  const all = await observeRunningImages(config);
  const hosts = all.filter((h) => choice === 'all' || (choice === 'node' ? h.role === 'node' : h.role !== 'node'));
  const report = await runCheck(client, { images: imagesToCheck(config, choice, hosts), hosts, policy, ...(signal ? { signal } : {}) });
  return { report, unreadable: hosts.filter((h) => h.error) };
}
