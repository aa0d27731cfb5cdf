import { parseEndpoint } from '../config/endpoint.js';
import type { Config, HostConfig } from '../config/types.js';
import type mysql from 'mysql2/promise';
import type { InventoryHostEntry } from '../config/inventory-edit.js';
import { checkHostEntry } from '../config/inventory.js';
import { endpointFileProblem } from '../config/endpoint-files.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import type { HostKeyResult } from '../docker/host-key.js';
import { InputError, errorMessage } from '../errors.js';
import { settleAll } from '../settle-all.js';
import { containerSpec, masterOf } from './container-spec.js';
import { enforceGuard } from './guard-cluster.js';
import { checkNewHost } from './host-checks.js';
import { assertNoConflict, discoverHost } from './discover.js';
import { observeHosts } from './observe.js';
import type { ClusterSession } from './session.js';

export interface AddHostRequest {
  endpoint: string;
  role: 'slave' | 'node';
  name?: string;
  address?: string;
  tls?: { ca: string; cert: string; key: string };
  identityFile?: string;
  healthTimeoutMs: number;
}

export interface AddHostResult {
  name: string;
  role: string;
  address: string;
  endpoint: string;
  image: string;
  version: string;
  secondsToJoin: number;
  checks: string[];
  /** ssh endpoints: the host key that was verified, and where it was recorded if it was new. */
  hostKey?: HostKeyResult;
}

const FLAG_OF: Record<string, string> = { 'tls.ca': 'tls-ca', 'tls.cert': 'tls-cert', 'tls.key': 'tls-key', identityFile: 'identity-file' };

/** The inventory entry of the new host, checked as the inventory reader would check it; name, address and endpoint must be new. */
export function newHostEntry(config: Config, req: AddHostRequest): { entry: InventoryHostEntry; host: HostConfig } {
  const spec = { endpoint: req.endpoint, ...(req.tls ? { tls: req.tls } : {}), ...(req.identityFile ? { identityFile: req.identityFile } : {}) };
  let docker: HostConfig['docker'];
  try {
    docker = parseEndpoint(spec, process.cwd(), config.hostKeys);
  } catch (err) {
    throw new InputError(errorMessage(err));
  }
  const problem = endpointFileProblem(docker);
  if (problem) throw new InputError(`--${FLAG_OF[problem[0]]} ${problem[1]}`);
  const address = req.address ?? (docker.kind === 'unix' ? undefined : docker.host);
  if (!address) throw new InputError('--address is required with a unix:// endpoint (the address Tars binds on that host)');
  const name = req.name ?? `${req.role}-${address.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const entry: InventoryHostEntry = {
    name, role: req.role, address,
    docker: { endpoint: req.endpoint, ...(spec.tls ? { tls: docker.kind === 'tcp' ? docker.tls : spec.tls } : {}), ...(docker.kind === 'ssh' && docker.identityFile ? { identityFile: docker.identityFile } : {}) },
  };
  checkHostEntry(config.inventoryFile, config.hosts.length, entry);
  const named = config.hosts.find((h) => h.name === name);
  if (named) throw new InputError(`a host named ${name} is already in ${config.inventoryFile}`);
  const sameAddress = config.hosts.find((h) => h.address === address);
  if (sameAddress) throw new InputError(`${sameAddress.name} in ${config.inventoryFile} already has the address ${address}`);
  const sameEndpoint = config.hosts.find((h) => h.docker.url === docker.url);
  if (sameEndpoint) throw new InputError(`${sameEndpoint.name} in ${config.inventoryFile} already uses the endpoint ${docker.url}`);
  return { entry, host: { name, role: req.role, address, docker } };
}

export interface NewHostLook {
  /** The master's image tag: the new host runs it, never an inner version read from the image. */
  version: string;
  image: string;
  checks: string[];
  hostKey?: HostKeyResult;
  conn: DockerHost;
}

/**
 * Read-only, before `scale add-host` plans: the guard, the cluster and the new host, looked at all at once so the
 * host waits on the slowest rather than on their sum; a failure is reported in this fixed order whichever came
 * first. The new host's connection joins the session (its `close` ends it).
 */
export async function lookBeforeAdding(s: ClusterSession, host: HostConfig, withHost: Config): Promise<NewHostLook> {
  const lookAtCluster = async () => {
    const observed = await observeHosts(s.config, [...s.hosts.values()]);
    assertNoConflict(observed.flatMap((o) => (o.found ? [o.found] : [])));
    const [master] = observed.filter((o) => o.host.role === 'master');
    if (!master?.container) throw new InputError(`the master ${masterOf(s.config).name} runs no Tars container; install the cluster first`);
    if (!master.tag) throw new InputError(`the master ${masterOf(s.config).name} runs ${master.container.image}, which has no tag to give the new host`);
    return { version: master.tag, image: containerSpec(withHost, host, master.tag).image };
  };
  const lookAtHost = async () => {
    const conn = await connectHost(host);
    s.hosts.set(host.name, conn);
    const checks = await checkNewHost(conn, { ...s.config.images, project: s.config.project }, host.role, host.address);
    return { conn, checks, ...(conn.hostKey ? { hostKey: conn.hostKey } : {}) };
  };
  const [, cluster, newHost] = await settleAll([enforceGuard(s.config, [...s.hosts.values()]), lookAtCluster(), lookAtHost()] as const);
  return { ...cluster, ...newHost };
}

/** Removes the host's Tars containers (its own, the kept and the half-made one), and with `volumes` the ones compose made for them. */
export async function removeHostContainers(s: Pick<ClusterSession, 'config'>, host: HostConfig, conn: DockerHost, volumes: boolean): Promise<string | undefined> {
  const found = await discoverHost(s.config, host, conn);
  const all = [found.current, found.next, found.old, found.previous].filter((c) => c !== undefined);
  for (const c of all) await conn.remove(c.id, { volumes: volumes && c.origin === 'tars-docker' });
  if (volumes && all.some((c) => c.origin === 'tars-docker')) await conn.removeComposeVolumes(s.config.project);
  return found.name;
}

/** Nothing routes to a removed host: its node row, and a slave's registry rows (ADDR:12000 too), go inactive. */
export async function markHostInactive(conn: mysql.Connection, host: { address: string; registry: boolean }): Promise<void> {
  await conn.query(`UPDATE db_tars.t_node_info SET present_state = 'inactive' WHERE node_name = ?`, [host.address]);
  if (!host.registry) return;
  // an IPv6 address bracketed or not
  await conn.query(
    `UPDATE db_tars.t_registry_info SET present_state = 'inactive' WHERE locator_id LIKE CONCAT(?, ':%') OR locator_id LIKE CONCAT('[', ?, ']:%')`,
    [host.address, host.address],
  );
}
