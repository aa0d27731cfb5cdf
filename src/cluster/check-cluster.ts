import type { Config, HostConfig } from '../config/types.js';
import type { RegistryClient } from '../registry/index.js';
import { repoDigestFor } from '../registry/reference.js';
import { runCheck, type CheckReport, type HostObservation, type VersionPolicy } from '../versions/index.js';
import { tagOf } from './observe.js';
import { discoverHost, mainContainer } from './discover.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import type { TarsContainer } from '../docker/tars-containers.js';
import { InputError, errorMessage } from '../errors.js';

export type ImageChoice = 'framework' | 'node' | 'all';

/**
 * What every host runs, with the registry digest of its image. Each host goes its own way from connect to digest
 * over one connection, so the slowest host (an ssh handshake) sets the time, not the sum of the slowest of each
 * phase. The framework's inner versions (two container-archive reads, each a tar process in dockerd) are not
 * read: a check compares images only.
 */
export async function observeRunningImages(config: Config): Promise<HostObservation[]> {
  return Promise.all(config.hosts.map((host) => observeRunningImage(config, host)));
}

async function observeRunningImage(config: Config, host: HostConfig): Promise<HostObservation> {
  const who = { name: host.name, role: host.role };
  let conn: DockerHost;
  try {
    conn = await connectHost(host);
  } catch (err) {
    // Bad input (a refused host key) is not an unreachable host.
    if (err instanceof InputError) throw err;
    return { ...who, image: null, error: errorMessage(err) };
  }
  try {
    let container: TarsContainer | undefined;
    try {
      container = mainContainer(await discoverHost(config, host, conn));
    } catch (err) {
      if (err instanceof InputError) throw err;
      return { ...who, image: null, error: errorMessage(err) };
    }
    if (!container) return { ...who, image: null };
    return { ...who, image: container.image, digest: await localDigest(conn, host.name, container.imageId, container.image) };
  } finally {
    await conn.close();
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
