import type { DockerHost } from '../docker/host.js';
import type { KnownImages } from '../docker/tars-containers.js';
import { InputError, TarsDockerError } from '../errors.js';
import type { Role } from '../config/types.js';
import { portOpen } from './web.js';

/** Ports a framework host (and its tarsnode) and a node host bind with host networking (18913: tarslog's TopologyObj, TarsFramework 3.0.1+). */
export const FRAMEWORK_PORTS = [3000, 12000, 17890, 17891, 18193, 18293, 18393, 18493, 18593, 18693, 18793, 18913, 18993, 19385, 19386];
export const NODE_PORTS = [19385, 19386];

const MIN_API_VERSION = 1.25;

/** Before creating anything on a new host: engine recent enough, no Tars container yet, the Tars ports free. */
export async function checkNewHost(conn: DockerHost, known: KnownImages, role: Role, address: string): Promise<string[]> {
  const lines: string[] = [];
  const v = await conn.version();
  if (Number(v.apiVersion) < MIN_API_VERSION) {
    throw new TarsDockerError(`${conn.name}: Docker API ${v.apiVersion} is older than ${MIN_API_VERSION}`);
  }
  lines.push(`Docker ${v.version} (API ${v.apiVersion})`);
  const tars = await conn.tarsContainers(known);
  const found = tars.find((c) => c.running) ?? tars[0];
  if (found) {
    const by = found.origin === 'tars-docker' ? '' : ` not made by tars-docker: \`tars-docker adopt ${conn.url}\` takes it over`;
    throw new InputError(`${conn.name}: already runs a Tars container (${found.name}, ${found.image}, ${found.state})${by}`);
  }
  const ports = role === 'node' ? NODE_PORTS : FRAMEWORK_PORTS;
  const taken = (await Promise.all(ports.map(async (p) => ((await portOpen(address, p, 1500)) ? p : undefined)))).filter((p) => p !== undefined);
  if (taken.length) throw new InputError(`${conn.name}: Tars ports already in use on ${address}: ${taken.join(', ')}`);
  lines.push(`ports ${ports[0]}..${ports[ports.length - 1]} free on ${address}`);
  return lines;
}
