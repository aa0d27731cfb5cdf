import type mysql from 'mysql2/promise';
import type { HostConfig } from '../config/types.js';
import type { DockerHost } from '../docker/connect.js';
import { findProjectContainer, logTail } from '../docker/containers.js';
import { HostError } from '../errors.js';
import { sleep } from '../util/timeout.js';
import { heartbeatSince } from './heartbeats.js';
import { fetchWebVersion, portOpen, REGISTRY_PORT } from './web.js';

export interface HealthGate {
  host: HostConfig;
  conn: DockerHost;
  mysql: mysql.Connection;
  project: string;
  /** MySQL time taken after the old container stopped, before the new one started: only heartbeats after it prove this start. */
  since: Date;
  timeoutMs: number;
  pollMs?: number;
}

export class HealthGateError extends HostError {
  constructor(host: string, reason: string, readonly logLines: string[]) {
    super(host, reason);
  }
}

/** Waits until the host's new container runs, heartbeats after `since`, and (master) answers on :3000. */
export async function waitHealthy(g: HealthGate): Promise<void> {
  const deadline = Date.now() + g.timeoutMs;
  let reason = 'not checked yet';
  for (;;) {
    reason = await unhealthyReason(g);
    if (!reason) return;
    if (Date.now() >= deadline) break;
    await sleep(g.pollMs ?? 200);
  }
  const c = await findProjectContainer(g.conn.docker, g.project).catch(() => undefined);
  const lines = c ? await logTail(g.conn.docker, c.id, 10).catch(() => []) : [];
  throw new HealthGateError(g.host.name, `not healthy after ${Math.round(g.timeoutMs / 1000)}s: ${reason}`, lines);
}

async function unhealthyReason(g: HealthGate): Promise<string> {
  const c = await findProjectContainer(g.conn.docker, g.project);
  if (!c) return 'container is gone';
  if (c.restarting) return `container ${c.name} keeps restarting`;
  if (c.state !== 'running') return `container ${c.name} is ${c.state}`;
  const table = g.host.role === 'node' ? 't_node_info' : 't_registry_info';
  if (!(await heartbeatSince(g.mysql, table, g.host.address, g.since))) return `no heartbeat in db_tars.${table} since the start`;
  if (g.host.role !== 'node' && !(await portOpen(g.host.address, REGISTRY_PORT))) return `registry port ${REGISTRY_PORT} is closed`;
  if (g.host.role === 'master' && !(await fetchWebVersion(g.host.address))) return 'web :3000/web_version does not answer';
  return '';
}
