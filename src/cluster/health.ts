import type { Role } from '../config/types.js';
import type { ContainerFacts } from '../docker/containers.js';

/** A heartbeat older than this means the host has left the cluster (Tars itself waits 150-250 s). */
export const HEARTBEAT_FRESH_SECONDS = 60;

export interface HealthInput {
  role: Role;
  reachable: boolean;
  reachError?: string;
  container?: ContainerFacts;
  /** More Tars containers run than the inventory expects (discovery's message). */
  conflict?: string;
  /** Stopped Tars containers that belong to no host. */
  leftovers?: string[];
  heartbeatAgeSeconds?: number;
  /** Master only: did :3000/web_version answer. */
  webAnswered?: boolean;
  /** Node only: deployed servers its tarsnode does not report active. */
  serversDown?: string[];
}

/** Pure: is this host healthy, and if not, the one reason a person should read first. */
export function judgeHost(h: HealthInput): { healthy: boolean; problem?: string } {
  if (!h.reachable) return { healthy: false, problem: h.reachError ?? 'Docker engine unreachable' };
  if (h.conflict) return { healthy: false, problem: h.conflict };
  if (!h.container) {
    const stopped = h.leftovers?.length ? ` (stopped leftovers: ${h.leftovers.join(', ')})` : '';
    return { healthy: false, problem: `no tars container on this host${stopped}` };
  }
  if (h.container.restarting) return { healthy: false, problem: `container ${h.container.name} is restarting` };
  if (h.container.state !== 'running') return { healthy: false, problem: `container ${h.container.name} is ${h.container.state}` };
  if (h.heartbeatAgeSeconds === undefined) return { healthy: false, problem: 'no heartbeat in db_tars' };
  if (h.heartbeatAgeSeconds > HEARTBEAT_FRESH_SECONDS) {
    return { healthy: false, problem: `last heartbeat ${h.heartbeatAgeSeconds}s ago` };
  }
  if (h.role === 'master' && h.webAnswered === false) return { healthy: false, problem: 'web :3000 does not answer' };
  if (h.serversDown?.length) return { healthy: false, problem: `deployed servers do not run: ${h.serversDown.join(', ')}` };
  return { healthy: true };
}
