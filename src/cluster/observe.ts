import type { Config, HostConfig } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import type { TarsContainer } from '../docker/tars-containers.js';
import { InputError, errorMessage } from '../errors.js';
import { isVersionTag } from '../versions/index.js';
import { repoDigestFor, tryParseReference } from '../registry/reference.js';
import { discoverHost, mainContainer, type HostContainers } from './discover.js';
import { readInnerVersions, versionLabel, type InnerVersions } from './inner-versions.js';

export interface ObservedHost {
  host: HostConfig;
  reachable: boolean;
  error?: string;
  /** Everything discovery found for this host (kept, half-done and leftover containers too). */
  found?: HostContainers;
  /** The host's container: the one under its name, else the new one of a half-done restart. */
  container?: TarsContainer;
  /** The container's image tag: the only version any comparison or new container uses. */
  tag?: string;
  /** How the host's version is named: the tag when it is a version tag, else `tag@digest`. */
  version?: string;
  /** TarsFramework's and TarsWeb's own versions inside a framework image (other version spaces than the tag). */
  inner?: InnerVersions;
}

/** Read-only look at every host, in parallel; an unreachable host is recorded, not thrown. */
export async function observeHosts(config: Config, hosts: DockerHost[] | undefined = undefined): Promise<ObservedHost[]> {
  return Promise.all(
    config.hosts.map(async (host): Promise<ObservedHost> => {
      const given = hosts?.find((h) => h.name === host.name);
      let conn: DockerHost | undefined = given;
      try {
        conn ??= await connectHost(host);
        const found = await discoverHost(config, host, conn);
        const container = mainContainer(found);
        const versions = container ? await versionsOf(conn, container) : {};
        return { host, reachable: true, found, ...(container ? { container } : {}), ...versions };
      } catch (err) {
        // Bad input (a refused host key, hosts on one engine the inventory cannot tell apart) is not an unreachable host.
        if (err instanceof InputError) throw err;
        return { host, reachable: false, error: errorMessage(err) };
      } finally {
        if (!given) await conn?.close();
      }
    }),
  );
}

async function versionsOf(conn: DockerHost, c: TarsContainer): Promise<Pick<ObservedHost, 'tag' | 'version' | 'inner'>> {
  const tag = tagOf(c.image);
  const digest = tag && isVersionTag(tag) ? undefined : await imageDigest(conn, c);
  const version = versionLabel(tag, digest);
  const inner = c.kind === 'framework' ? await readInnerVersions(conn, c.id) : {};
  return { ...(tag ? { tag } : {}), ...(version ? { version } : {}), ...(Object.keys(inner).length ? { inner } : {}) };
}

/** A moving tag is told apart by its registry digest, else by the local image id. */
async function imageDigest(conn: DockerHost, c: TarsContainer): Promise<string> {
  const pinned = tryParseReference(c.image)?.digest;
  if (pinned) return pinned;
  const info = await conn.inspectImage(c.imageId).catch(() => undefined);
  return repoDigestFor(c.image, info?.repoDigests ?? []) ?? c.imageId;
}

export function tagOf(image: string): string | undefined {
  return tryParseReference(image)?.tag;
}
