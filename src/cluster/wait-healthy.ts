import { setTimeout as sleep } from 'node:timers/promises';
import type mysql from 'mysql2/promise';
import type { Config, HostConfig } from '../config/types.js';
import type { DockerHost } from '../docker/host.js';
import type { ContainerFacts } from '../docker/containers.js';
import { HostError, errorMessage } from '../errors.js';
import { redact } from '../redact.js';
import { withTimeout } from '../timeout.js';
import { discoverHost, mainContainer } from './discover.js';
import { heartbeatSince } from './heartbeats.js';
import { serversNotActive } from './node-services.js';
import { fetchWebVersion, portOpen, REGISTRY_PORT } from './web.js';

export interface HealthGate {
  config: Pick<Config, 'hosts' | 'images' | 'project'>;
  host: HostConfig;
  conn: DockerHost;
  mysql: mysql.Connection;
  /** The container that must prove itself: the new one, by id (a name can be taken over). */
  containerId: string;
  /**
   * MySQL time read just before that container was started, with the old one already stopped: only heartbeats
   * after it can come from the new container. (MySQL's clock, not the engine's StartedAt, so skew cannot fool it.)
   */
  since: Date;
  timeoutMs: number;
  pollMs?: number;
}

/** A last probe after the deadline still gets this long, so a slow but live engine is not called frozen. */
const MIN_PROBE_MS = 2_000;

export class HealthGateError extends HostError {
  constructor(host: string, reason: string, readonly logLines: string[]) {
    super(host, reason);
  }
}

/**
 * Waits until the container runs without having restarted, is the only Tars container of the host on its engine,
 * its address heartbeats after `since` (registry: the ADDR:17890 row; node: t_node_info), and (master) answers :3000.
 */
export async function waitHealthy(g: HealthGate): Promise<void> {
  const deadline = Date.now() + g.timeoutMs;
  // Every probe is bounded by what is left of the timeout: a frozen engine or MySQL fails the gate in time.
  const bounded = <T>(p: Promise<T>, what: string) =>
    withTimeout(p, Math.max(deadline - Date.now(), MIN_PROBE_MS), `${what} did not answer within ${Math.round(g.timeoutMs / 1000)}s`);
  const first = await bounded(g.conn.inspectContainer(g.containerId), 'the Docker engine').catch(() => undefined);
  let reason = 'not checked yet';
  for (;;) {
    reason = await bounded(unhealthyReason(g, first), 'the Docker engine or MySQL').catch((err: unknown) => errorMessage(err));
    if (!reason) return;
    if (Date.now() >= deadline) break;
    await sleep(g.pollMs ?? 200);
  }
  const lines = await withTimeout(g.conn.logTail(g.containerId, 10), MIN_PROBE_MS, 'no logs').catch(() => []);
  // A container that runs but never heartbeats (MySQL unreachable, a server that cannot start) says why in its log.
  const seen = reason.startsWith(RUNNING) && lines.length > 0 ? `; log: ${lastLogLine(lines)}` : '';
  throw new HealthGateError(g.host.name, `not healthy after ${Math.round(g.timeoutMs / 1000)}s: ${reason}${seen}`, lines);
}

const RUNNING = 'running ';

/** The container's last line without its timestamp and level, short enough for a one-line error; secrets masked. */
export function lastLogLine(lines: string[]): string {
  const last = lines[lines.length - 1]!.trim().replace(/^\S*\d{4}-\d\d-\d\dT\S+\s+/, '').replace(/^(INFO|WARN|ERROR|DEBUG)\s+/, '');
  const text = redact(last);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

async function unhealthyReason(g: HealthGate, first: ContainerFacts | undefined): Promise<string> {
  const c = await g.conn.inspectContainer(g.containerId).catch(() => undefined);
  if (!c || !first) return `container ${g.containerId.slice(0, 12)} is gone`;
  if (c.restarting) return `container ${c.name} keeps restarting`;
  if (c.state !== 'running') return `container ${c.name} is ${c.state}`;
  if (c.restartCount !== first.restartCount || (first.state === 'running' && c.startedAt !== first.startedAt)) {
    return `container ${c.name} restarted (it crashed since it was started)`;
  }
  const table = g.host.role === 'node' ? 't_node_info' : 't_registry_info';
  if (!(await heartbeatSince(g.mysql, table, g.host.address, g.since))) {
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(c.startedAt)) / 1000));
    const row = table === 't_registry_info' ? `${table} (its ${REGISTRY_PORT} row)` : table;
    return `${RUNNING}${seconds} s, no heartbeat in db_tars.${row} since its start`;
  }
  // tarsnode reports its servers before its heartbeat, so after a fresh heartbeat these states are its own
  const down = g.host.role === 'node' ? await serversNotActive(g.mysql, g.host.address) : [];
  if (down.length) return `its deployed servers do not run: ${down.join(', ')} (was its /data/tars lost?)`;
  if (g.host.role !== 'node' && !(await portOpen(g.host.address, REGISTRY_PORT))) return `registry port ${REGISTRY_PORT} is closed`;
  if (g.host.role === 'master' && !(await fetchWebVersion(g.host.address))) return 'web :3000/web_version does not answer';
  // last, as it reads the whole engine: nothing else of this host may run beside it (it could be what answered)
  const found = await discoverHost(g.config, g.host, g.conn);
  if (found.conflict) return found.conflict;
  if (mainContainer(found)?.id !== g.containerId) return `the host's name ${found.name ?? '(none)'} is held by another container`;
  return '';
}
