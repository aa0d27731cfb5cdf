import type mysql from 'mysql2/promise';
import type { Config, HostConfig } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import { openConnection } from '../db/connection.js';

/** Open connections to every host and to MySQL for one command; `close` is safe to call on every path. */
export interface ClusterSession {
  config: Config;
  hosts: Map<string, DockerHost>;
  mysql: mysql.Connection;
  conn(host: HostConfig): DockerHost;
  close(): Promise<void>;
}

/** Connects to all hosts in parallel; the first unreachable one fails the whole session with its name. */
export async function openSession(config: Config): Promise<ClusterSession> {
  const settled = await Promise.allSettled(config.hosts.map((h) => connectHost(h)));
  const hosts = new Map<string, DockerHost>();
  settled.forEach((r) => r.status === 'fulfilled' && hosts.set(r.value.name, r.value));
  const closeHosts = () => Promise.all([...hosts.values()].map((h) => h.close())).then(() => {});
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await closeHosts();
    throw failed.reason;
  }
  let mysqlConn: mysql.Connection;
  try {
    mysqlConn = await openConnection(config.mysql, { values: 'native' });
  } catch (err) {
    await closeHosts();
    throw err;
  }
  return {
    config,
    hosts,
    mysql: mysqlConn,
    conn: (h) => hosts.get(h.name)!,
    close: async () => {
      await closeHosts();
      await mysqlConn.end().catch(() => mysqlConn.destroy());
    },
  };
}
