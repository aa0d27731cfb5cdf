import type mysql from 'mysql2/promise';
import type { Role } from '../config/types.js';
import type { DockerHost } from '../docker/host.js';
import { envValue, type TarsContainer } from '../docker/tars-containers.js';
import { openConnection } from '../db/connection.js';
import { familiarName, tryParseReference } from '../registry/reference.js';
import type { LiveAddresses } from './adopt-address.js';

/** The cluster's MySQL as the master container itself is told it. */
function mysqlOf(c: TarsContainer) {
  return {
    host: envValue(c.env, 'MYSQL_HOST') ?? '',
    port: Number(envValue(c.env, 'MYSQL_PORT') || 3306),
    user: envValue(c.env, 'MYSQL_USER') || 'root',
    password: envValue(c.env, 'MYSQL_ROOT_PASSWORD') ?? '',
  };
}

/** The addresses heartbeating now, through the master's own MySQL settings; undefined when it cannot be read. */
export async function liveAddresses(master: TarsContainer): Promise<LiveAddresses | undefined> {
  let conn: mysql.Connection;
  try {
    conn = await openConnection(mysqlOf(master), { values: 'native' });
  } catch {
    return undefined;
  }
  try {
    const [reg] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT DISTINCT locator_id AS l FROM db_tars.t_registry_info WHERE locator_id LIKE '%:17890' AND last_heartbeat >= NOW() - INTERVAL 60 SECOND`,
    );
    const [nodes] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT node_name AS n FROM db_tars.t_node_info WHERE present_state = 'active' AND last_heartbeat >= NOW() - INTERVAL 60 SECOND`,
    );
    return {
      registry: new Set(reg.map((r) => String(r.l).replace(/:17890$/, '').replace(/^\[(.*)\]$/, '$1'))),
      node: new Set(nodes.map((r) => String(r.n))),
    };
  } catch {
    return undefined;
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

export async function envOf(master: TarsContainer, hosts: { role: Role; image: string }[], conn: Pick<DockerHost, 'info'>): Promise<Record<string, string>> {
  const m = mysqlOf(master);
  const repo = (image: string) => {
    const ref = tryParseReference(image);
    return ref ? familiarName(ref) : image.replace(/:[^:/]+$/, '');
  };
  const framework = repo(master.image);
  const node = hosts.find((h) => h.role === 'node');
  const nodeTag = node ? tryParseReference(node.image)?.tag : undefined;
  const info = await conn.info();
  const insecure = [
    ...info.insecureRegistryCidrs.filter((c) => c !== '127.0.0.0/8' && c !== '::1/128'),
    ...info.insecureIndexes.filter((n) => n !== 'docker.io'),
  ];
  return {
    MYSQL_HOST: m.host,
    MYSQL_PORT: String(m.port),
    MYSQL_USER: m.user,
    MYSQL_ROOT_PASSWORD: m.password,
    REBUILD: 'false',
    FRAMEWORK_IMAGE: framework,
    NODE_IMAGE: node ? repo(node.image) : framework.replace(/framework$/, 'tars-node'),
    // the node tag is configuration: what the nodes run now (tars-node has no version tags; latest by default)
    NODE_TAG: nodeTag ?? 'latest',
    REGISTRY_INSECURE: [...new Set(insecure)].join(','),
  };
}
