import { mysqlNow } from './heartbeats.js';
import type { HostConfig } from '../config/types.js';
import { composeUp } from '../docker/compose.js';
import { HostError } from '../errors.js';
import { discoverHost, mainContainer } from './discover.js';
import type { ClusterSession } from './session.js';
import { containerSpec } from './container-spec.js';
import { waitHealthy } from './wait-healthy.js';

export const DEFAULT_HEALTH_TIMEOUT_MS = 180_000;
/** The compose files' stop_grace_period. */
const STOP_GRACE_SECONDS = 30;

/**
 * Creates an empty host's container at `version` through tars-docker's compose file (install, scale add-host) and
 * waits for its health gate. Upgrades and rollbacks never come here: they clone the container that runs.
 * Returns the seconds between the start of the recreate and a proven heartbeat.
 */
export async function startHost(
  s: ClusterSession,
  host: HostConfig,
  version: string,
  timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
): Promise<number> {
  const spec = containerSpec(s.config, host, version);
  const conn = s.conn(host);
  const started = Date.now();
  // Stop-then-start (host networking allows nothing else), with the clock read in between: the old container
  // heartbeats until it stops, and only heartbeats after that can prove the new one came up.
  const old = mainContainer(await discoverHost(s.config, host, conn));
  if (old?.running) await conn.stop(old.id, STOP_GRACE_SECONDS);
  const since = await mysqlNow(s.mysql);
  await composeUp({ host: conn, project: s.config.project, composeFile: spec.composeFile, service: spec.service, vars: spec.vars });
  const created = mainContainer(await discoverHost(s.config, host, conn));
  if (!created) throw new HostError(host.name, `docker-compose up left no Tars container on ${host.docker.url}`);
  // a short poll: the operator waits on this first heartbeat (install, scale add-host), and each poll is cheap
  await waitHealthy({ config: s.config, host, conn, mysql: s.mysql, containerId: created.id, since, timeoutMs, pollMs: 100 });
  return (Date.now() - started) / 1000;
}
