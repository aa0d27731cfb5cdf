import type { DockerEndpoint } from '../config/types.js';
import type { DockerHost } from '../docker/host.js';
import { envValue, type TarsContainer } from '../docker/tars-containers.js';

/** Addresses that heartbeat in db_tars now: registries by their ADDR:17890 row, nodes by t_node_info. */
export interface LiveAddresses {
  registry: Set<string>;
  node: Set<string>;
}

export interface DerivedAddress {
  address: string;
  from: string;
}

/** The IPv4 address of an interface inside a running container, asked with node (framework images) or `ip`. */
async function interfaceAddress(conn: Pick<DockerHost, 'execOutput'>, id: string, iface: string): Promise<string | undefined> {
  const script = `const a=(require('os').networkInterfaces()[${JSON.stringify(iface)}]||[]).find(x=>x.family==='IPv4'||x.family===4);process.stdout.write(a?a.address:'')`;
  const viaNode = (await conn.execOutput(id, ['node', '-e', script]))?.trim();
  if (viaNode) return viaNode;
  const viaIp = await conn.execOutput(id, ['sh', '-c', `ip -4 -o addr show dev ${iface}`]);
  return viaIp?.match(/inet (\d+\.\d+\.\d+\.\d+)\//)?.[1];
}

/**
 * The address Tars uses for a container: DOMAIN (a node also reads TARS_DOMAIN); else the one of its possible
 * addresses (its interface's, its bridge IPs, the engine's host) that heartbeats in db_tars; else its interface's.
 */
export async function deriveAddress(conn: Pick<DockerHost, 'execOutput'>, c: TarsContainer, ipsOnNetworks: string[], endpoint: DockerEndpoint, live: LiveAddresses | undefined): Promise<DerivedAddress | undefined> {
  const domain = envValue(c.env, 'DOMAIN') || (c.kind === 'node' ? envValue(c.env, 'TARS_DOMAIN') : undefined);
  if (domain) return { address: domain, from: 'DOMAIN' };
  const iface = c.kind === 'node' ? 'eth0' : envValue(c.env, 'INET') || 'eth0';
  const own = await interfaceAddress(conn, c.id, iface);
  const candidates = [...new Set([own, ...ipsOnNetworks, endpoint.kind === 'unix' ? undefined : endpoint.host].filter((a): a is string => Boolean(a)))];
  const beating = live ? (c.kind === 'node' ? live.node : live.registry) : undefined;
  const proven = candidates.find((a) => beating?.has(a));
  if (proven) return { address: proven, from: 'heartbeat in db_tars' };
  if (own) return { address: own, from: `${iface}'s address` };
  const fallback = candidates[0];
  return fallback ? { address: fallback, from: 'the container or engine address' } : undefined;
}
