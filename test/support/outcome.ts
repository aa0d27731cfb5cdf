// What a mutating command left behind, read without tars-docker's own code: every host's container through its
// engine's API, and the heartbeat rows in db_tars against a MySQL clock read before the command ran.
import type Docker from 'dockerode';
import type { Config, HostConfig } from '../../src/config/types.js';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { openConnection } from '../../src/db/connection.js';
import { labFrameworkVersion } from '../../src/lab/images.js';
import { labConfig } from './lab.js';

/** MySQL's NOW() as 'YYYY-MM-DD HH:MM:SS': heartbeats are written with that clock, so compare against it. */
export async function mysqlNow(config: Config = labConfig()): Promise<string> {
  const db = await openConnection(config.mysql, { values: 'native' });
  try {
    const [rows] = (await db.query('SELECT CAST(NOW() AS CHAR) AS t')) as unknown as [{ t: string }[]];
    return rows[0]!.t;
  } finally {
    await db.end();
  }
}

export interface HostExpectation {
  /** The framework version the cluster runs (node heartbeats carry the master's version too). */
  version: string;
  /** MySQL time read before the command: every heartbeat must be newer. */
  since: string;
  config?: Config;
  /** Only these hosts (default every host of the inventory). */
  hosts?: string[];
  /** The version heartbeat rows carry, when not `version`: a node reports the tarsnode its master served it. */
  heartbeatVersion?: string;
}

/**
 * Everything wrong with the hosts, one line each (empty when all is as asked): exactly one Tars container, running,
 * at the image of `version`, labelled for its host and role, host networking, its data volume mounted, REBUILD=false
 * (and SLAVE matching the role on framework hosts), and an active heartbeat row newer than `since` at `version`.
 */
export async function hostProblems(want: HostExpectation): Promise<string[]> {
  const config = want.config ?? labConfig();
  const hosts = config.hosts.filter((h) => !want.hosts || want.hosts.includes(h.name));
  const db = await openConnection(config.mysql, { values: 'native' });
  try {
    const out: string[] = [];
    for (const host of hosts) {
      const conn = await connectEngine(host);
      try {
        out.push(...(await containerProblems(conn.docker, config, host, want.version)));
      } finally {
        await conn.close();
      }
      // Heartbeats carry TarsFramework's own version (FRAMEWORK_VERSION.txt), not the image tag: 3.0.12 for v3.0.16.
      const beat = labFrameworkVersion(want.heartbeatVersion ?? want.version);
      const [rows] = (await db.query(heartbeatSql(host), [host.role === 'node' ? host.address : `${host.address}:17890`, want.since, beat])) as unknown as [unknown[]];
      if (rows.length === 0) out.push(`${host.name}: no active ${beat} heartbeat in ${heartbeatTable(host)} after ${want.since}`);
    }
    return out;
  } finally {
    await db.end();
  }
}

const heartbeatTable = (h: HostConfig) => (h.role === 'node' ? 't_node_info' : 't_registry_info');

function heartbeatSql(h: HostConfig): string {
  const key = h.role === 'node' ? 'node_name' : 'locator_id';
  return `SELECT 1 FROM db_tars.${heartbeatTable(h)} WHERE ${key} = ? AND last_heartbeat > ? AND tars_version = ? AND present_state = 'active'`;
}

/** Tars by its labels or its image repository (the configured one, or the stock tarscloud/… under any prefix). */
function isTars(c: Docker.ContainerInfo, config: Config): boolean {
  if (c.Labels['io.tars-docker.project'] !== undefined) return true;
  const repo = c.Image.replace(/[:@][^/]*$/, '');
  return [config.images.framework, config.images.node].includes(repo) || /(^|\/)tarscloud\/(framework|tars-node)$/.test(repo);
}

async function containerProblems(docker: Docker, config: Config, host: HostConfig, version: string): Promise<string[]> {
  const node = host.role === 'node';
  const repo = node ? config.images.node : config.images.framework;
  const tag = node ? config.images.nodeTag : version;
  const tars = (await docker.listContainers({ all: true })).filter((c) => isTars(c, config));
  // A rollout keeps the container it replaced, stopped, as its way back; only one may run.
  const running = tars.filter((c) => c.State === 'running' || c.State === 'restarting');
  if (running.length !== 1) return [`${host.name}: ${running.length} running Tars containers (${tars.map((c) => `${c.Names.join(',')} ${c.Image} ${c.State}`).join('; ')})`];
  const info = await docker.getContainer(running[0]!.Id).inspect();
  const name = `${host.name} ${info.Name.replace(/^\//, '')}`;
  const env = new Set(info.Config.Env ?? []);
  const expected: [string, boolean][] = [
    [`running (is ${info.State.Status}${info.State.Restarting ? ', restarting' : ''})`, info.State.Running && !info.State.Restarting],
    [`image ${repo}:${tag} (is ${info.Config.Image})`, info.Config.Image === `${repo}:${tag}`],
    [`labels project=${config.project} host=${host.name} role=${host.role} version=${tag}`,
      info.Config.Labels['io.tars-docker.project'] === config.project && info.Config.Labels['io.tars-docker.host'] === host.name &&
      info.Config.Labels['io.tars-docker.role'] === host.role && info.Config.Labels['io.tars-docker.version'] === tag],
    [`host networking (is ${info.HostConfig.NetworkMode})`, info.HostConfig.NetworkMode === 'host'],
    ['a volume at /data/tars', info.Mounts.some((m) => m.Type === 'volume' && m.Destination === '/data/tars')],
    ['REBUILD=false', env.has('REBUILD=false') && [...env].filter((e) => e.startsWith('REBUILD=')).length === 1],
  ];
  if (!node) expected.push([`SLAVE=${host.role === 'slave'}`, env.has(`SLAVE=${host.role === 'slave'}`)]);
  return expected.filter(([, ok]) => !ok).map(([what]) => `${name}: expected ${what}`);
}

/** The data volumes of each host's running Tars container, to prove a recreate kept them. */
export async function dataVolumes(config: Config = labConfig()): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const host of config.hosts) {
    const conn = await connectEngine(host);
    try {
      const list = await conn.docker.listContainers({ filters: { label: [`io.tars-docker.project=${config.project}`], status: ['running'] } });
      out[host.name] = list.flatMap((c) => c.Mounts.filter((m) => m.Type === 'volume').map((m) => `${m.Name}:${m.Destination}`)).sort();
    } finally {
      await conn.close();
    }
  }
  return out;
}

/**
 * Waits until hostProblems() finds nothing, for hosts that were not restarted by the command under test and so
 * give no event of their own: their next heartbeat row is the event. Resolves with the problems left at the
 * safety-net timeout (a failing test shows them).
 */
export async function settledHosts(want: HostExpectation, timeoutMs = 60_000): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const problems = await hostProblems(want);
    if (problems.length === 0 || Date.now() > end) return problems;
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

/** Seconds between two mysqlNow() readings. */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(`${to.replace(' ', 'T')}Z`) - Date.parse(`${from.replace(' ', 'T')}Z`)) / 1000;
}
