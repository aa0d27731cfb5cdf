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

/**
 * Connects to all hosts and to MySQL in parallel; the first unreachable host fails the whole session with its
 * name, before an unreachable MySQL does.
 */
export async function openSession(config: Config): Promise<ClusterSession> {
  const [settled, db] = await Promise.all([
    Promise.allSettled(config.hosts.map((h) => connectHost(h))),
    openConnection(config.mysql, { values: 'native' }).then(
      (conn) => ({ conn }),
      (error: unknown) => ({ error }),
    ),
  ]);
  const hosts = new Map<string, DockerHost>();
  settled.forEach((r) => r.status === 'fulfilled' && hosts.set(r.value.name, r.value));
  const closeHosts = () => Promise.all([...hosts.values()].map((h) => h.close())).then(() => {});
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed || 'error' in db) {
    await closeHosts();
    if ('conn' in db) await db.conn.end().catch(() => db.conn.destroy());
    throw failed ? failed.reason : (db as { error: unknown }).error;
  }
  const mysqlConn = db.conn;
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
