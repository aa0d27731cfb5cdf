import type { Config } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { withConnection } from '../db/connection.js';
import { judgeHost } from './health.js';
import { readHeartbeats, tarsnodeVersions, type Heartbeats } from './heartbeats.js';
import { observeHosts } from './observe.js';
import { fetchWebVersion } from './web.js';
import { serversNotActive } from './node-services.js';

export interface HostStatus {
  name: string;
  role: string;
  endpoint: string;
  address: string;
  container: string | null;
  /** Who made the container: tars-docker, the operator's compose file, or a plain `docker run`. */
  origin: string | null;
  image: string | null;
  /** The image tag when it is a version tag, else `tag@digest`. */
  version: string | null;
  /** TarsFramework's own version (FRAMEWORK_VERSION.txt, else the master's /web_version); not comparable with `version`. */
  frameworkVersion: string | null;
  /** TarsWeb's version (web/package.json, else the master's /web_version); not comparable with `version`. */
  webVersion: string | null;
  /** A node's tarsnode version as its heartbeat row reports it: what `latest@sha256:…` alone does not say. */
  tarsnodeVersion: string | null;
  state: string;
  heartbeatAgeSeconds: number | null;
  healthy: boolean;
  problem?: string;
}

export interface StatusReport {
  healthy: boolean;
  mysql: { reachable: boolean; error?: string };
  hosts: HostStatus[];
}

/** Read-only: every host's container, version and heartbeat, and one verdict. */
export async function clusterStatus(config: Config): Promise<StatusReport> {
  const [observed, beats] = await Promise.all([observeHosts(config), readBeats(config)]);
  const hosts = await Promise.all(
    observed.map(async (o): Promise<HostStatus> => {
      const table = o.host.role === 'node' ? 'node' : 'registry';
      const age = 'error' in beats ? undefined : beats[table].get(o.host.address);
      const web = o.host.role === 'master' ? await fetchWebVersion(o.host.address) : undefined;
      const webAnswered = o.host.role === 'master' ? web !== undefined : undefined;
      const serversDown = o.host.role === 'node' && !('error' in beats) ? await withConnection(config.mysql, (c) => serversNotActive(c, o.host.address), { values: 'native' }).catch(() => []) : [];
      const verdict = judgeHost({
        role: o.host.role,
        reachable: o.reachable,
        ...(o.error ? { reachError: o.error } : {}),
        ...(o.container ? { container: o.container } : {}),
        ...(o.found?.conflict ? { conflict: o.found.conflict } : {}),
        ...(o.found?.leftovers.length ? { leftovers: o.found.leftovers.map((c) => `${c.name} ${c.state}`) } : {}),
        ...(age !== undefined ? { heartbeatAgeSeconds: age } : {}),
        ...(webAnswered !== undefined ? { webAnswered } : {}),
        ...(serversDown.length ? { serversDown } : {}),
      });
      return {
        name: o.host.name,
        role: o.host.role,
        endpoint: o.host.docker.url,
        address: o.host.address,
        container: o.container?.name ?? null,
        origin: o.container?.origin ?? null,
        image: o.container?.image ?? null,
        version: o.version ?? null,
        frameworkVersion: o.inner?.frameworkVersion ?? web?.frameworkVersion ?? null,
        webVersion: o.inner?.webVersion ?? web?.webVersion ?? null,
        tarsnodeVersion: o.host.role === 'node' && !('error' in beats) ? (beats.tarsnode.get(o.host.address) ?? null) : null,
        state: o.reachable ? (o.container?.state ?? 'absent') : 'unreachable',
        heartbeatAgeSeconds: age ?? null,
        healthy: verdict.healthy,
        ...(verdict.problem ? { problem: verdict.problem } : {}),
      };
    }),
  );
  const mysql = 'error' in beats ? { reachable: false, error: beats.error } : { reachable: true };
  return { healthy: mysql.reachable && hosts.every((h) => h.healthy), mysql, hosts };
}

async function readBeats(config: Config): Promise<(Heartbeats & { tarsnode: Map<string, string> }) | { error: string }> {
  try {
    return await withConnection(config.mysql, async (c) => ({ ...(await readHeartbeats(c)), tarsnode: await tarsnodeVersions(c) }), { values: 'native' });
  } catch (err) {
    return { error: errorMessage(err) };
  }
}
