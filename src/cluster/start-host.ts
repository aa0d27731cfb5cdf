import type mysql from 'mysql2/promise';
import type { HostConfig } from '../config/types.js';
import { composeUp } from '../docker/compose.js';
import type { ClusterSession } from './session.js';
import { containerSpec } from './container-spec.js';
import { waitHealthy } from './wait-healthy.js';

export const DEFAULT_HEALTH_TIMEOUT_MS = 180_000;

async function mysqlNow(conn: mysql.Connection): Promise<Date> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT NOW(3) AS now');
  return rows[0]!.now as Date;
}

/**
 * (Re)creates one host's container at `version` through its compose file and waits for its health gate.
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
  const since = await mysqlNow(s.mysql);
  const started = Date.now();
  await composeUp({ host: conn, project: s.config.project, composeFile: spec.composeFile, service: spec.service, vars: spec.vars });
  await waitHealthy({ host, conn, mysql: s.mysql, project: s.config.project, since, timeoutMs });
  return (Date.now() - started) / 1000;
}
