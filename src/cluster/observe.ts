import type { Config, HostConfig } from '../config/types.js';
import { connectHost, type DockerHost } from '../docker/connect.js';
import { readContainerFile } from '../docker/containers.js';
import type { TarsContainer } from '../docker/tars-containers.js';
import { InputError, errorMessage } from '../errors.js';
import { tryParseReference } from '../registry/reference.js';
import { discoverHost, mainContainer, type HostContainers } from './discover.js';

export const FRAMEWORK_VERSION_FILE = '/usr/local/tars/cpp/deploy/FRAMEWORK_VERSION.txt';

export interface ObservedHost {
  host: HostConfig;
  reachable: boolean;
  error?: string;
  /** Everything discovery found for this host (kept, half-done and leftover containers too). */
  found?: HostContainers;
  /** The host's container: the one under its name, else the new one of a half-done restart. */
  container?: TarsContainer;
  /** From FRAMEWORK_VERSION.txt, else the image tag. */
  version?: string;
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
        const version = container ? await versionOf(conn, container) : undefined;
        return { host, reachable: true, found, ...(container ? { container } : {}), ...(version ? { version } : {}) };
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

async function versionOf(conn: DockerHost, c: TarsContainer): Promise<string | undefined> {
  if (c.kind === 'framework') {
    const text = await readContainerFile(conn.docker, c.id, FRAMEWORK_VERSION_FILE).catch(() => undefined);
    if (text?.trim()) return text.trim();
  }
  return tagOf(c.image);
}

export function tagOf(image: string): string | undefined {
  return tryParseReference(image)?.tag;
}
