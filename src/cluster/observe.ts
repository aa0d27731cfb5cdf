import type { Config, HostConfig } from '../config/types.js';
import { connectHost, type DockerHost } from '../docker/connect.js';
import { findProjectContainer, readContainerFile, type ContainerFacts } from '../docker/containers.js';
import { InputError, errorMessage } from '../errors.js';
import { tryParseReference } from '../registry/reference.js';

export const FRAMEWORK_VERSION_FILE = '/usr/local/tars/cpp/deploy/FRAMEWORK_VERSION.txt';

export interface ObservedHost {
  host: HostConfig;
  reachable: boolean;
  error?: string;
  container?: ContainerFacts;
  /** From FRAMEWORK_VERSION.txt, else the image tag. */
  version?: string;
}

/** Read-only look at every host, in parallel; an unreachable host is recorded, not thrown. */
export async function observeHosts(config: Config, hosts: DockerHost[] | undefined = undefined): Promise<ObservedHost[]> {
  return Promise.all(
    config.hosts.map(async (host) => {
      const given = hosts?.find((h) => h.name === host.name);
      let conn: DockerHost | undefined = given;
      try {
        conn ??= await connectHost(host);
        const container = await findProjectContainer(conn.docker, config.project);
        const version = container ? await versionOf(conn, container) : undefined;
        return { host, reachable: true, ...(container ? { container } : {}), ...(version ? { version } : {}) };
      } catch (err) {
        // A refused host key answered, so it is not unreachable: it is a host the inventory does not mean.
        if (err instanceof InputError) throw err;
        return { host, reachable: false, error: errorMessage(err) };
      } finally {
        if (!given) await conn?.close();
      }
    }),
  );
}

async function versionOf(conn: DockerHost, c: ContainerFacts): Promise<string | undefined> {
  if (c.labels['io.tars-docker.role'] !== 'node') {
    const text = await readContainerFile(conn.docker, c.id, FRAMEWORK_VERSION_FILE).catch(() => undefined);
    if (text?.trim()) return text.trim();
  }
  return tagOf(c.image);
}

export function tagOf(image: string): string | undefined {
  return tryParseReference(image)?.tag;
}
