import { parseEndpoint } from '../config/endpoint.js';
import type { Config, HostConfig } from '../config/types.js';
import { addInventoryHost, removeInventoryHost, type InventoryHostEntry } from '../config/inventory-edit.js';
import { checkHostEntry } from '../config/inventory.js';
import { endpointFileProblem } from '../config/endpoint-files.js';
import { connectHost, type DockerHost } from '../docker/connect.js';
import type { HostKeyResult } from '../docker/host-key.js';
import { megabytes, pullImage } from '../docker/pull.js';
import { InputError, errorMessage } from '../errors.js';
import type { Step } from '../steps.js';
import { containerSpec, masterOf } from './container-spec.js';
import { enforceGuard } from './guard-cluster.js';
import { checkNewHost } from './host-checks.js';
import { assertNoConflict, discoverHost } from './discover.js';
import { observeHosts } from './observe.js';
import type { ClusterSession } from './session.js';
import { startHost } from './start-host.js';

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

/** The steps of `scale add-host`; `result` is filled as they run. Cleans up what it created when the host does not join. */
export function addHostSteps(s: ClusterSession, req: AddHostRequest, result: Partial<AddHostResult>, dryRun: boolean): Step[] {
  const { entry, host } = newHostEntry(s.config, req);
  const config: Config = { ...s.config, hosts: [...s.config.hosts, host] };
  let conn: DockerHost | undefined;
  Object.assign(result, { name: host.name, role: host.role, address: host.address, endpoint: host.docker.url, checks: [] });
  const steps: Step[] = [
    { title: 'Guard the environment', run: () => enforceGuard(s.config, [...s.hosts.values()]) },
    {
      title: `Check ${host.name} (${host.docker.url})`,
      run: async () => {
        const observed = await observeHosts(s.config, [...s.hosts.values()]);
        assertNoConflict(observed.flatMap((o) => (o.found ? [o.found] : [])));
        const [master] = observed.filter((o) => o.host.role === 'master');
        if (!master?.container) throw new InputError(`the master ${masterOf(s.config).name} runs no Tars container; install the cluster first`);
        // the new host runs the master's image tag, never an inner version read from the image
        if (!master.tag) throw new InputError(`the master ${masterOf(s.config).name} runs ${master.container.image}, which has no tag to give the new host`);
        result.version = master.tag;
        result.image = containerSpec(config, host, master.tag).image;
        conn = await connectHost(host);
        s.hosts.set(host.name, conn);
        if (conn.hostKey) result.hostKey = conn.hostKey;
        result.checks = await checkNewHost(conn, { ...s.config.images, project: s.config.project }, host.role, host.address);
      },
    },
  ];
  if (dryRun) return steps;
  const session: ClusterSession = { ...s, config, conn: (h) => s.hosts.get(h.name)! };
  return [
    ...steps,
    {
      title: `Pull the cluster's image on ${host.name}`,
      run: (p) => pullImage(conn!, result.image!, s.config.registry, megabytes(p)),
    },
    {
      title: `Start ${host.role} ${host.name} and wait for its heartbeat`,
      run: async () => {
        try {
          result.secondsToJoin = await startHost(session, host, result.version!, req.healthTimeoutMs);
        } catch (err) {
          await removeHostContainers(session, host, conn!, true);
          throw err;
        }
      },
    },
    { title: `Add ${host.name} to ${s.config.inventoryFile}`, run: async () => addInventoryHost(s.config.inventoryFile, entry) },
  ];
}

/** Removes the host's Tars containers (its own, the kept and the half-made one), and with `volumes` the ones compose made for them. */
export async function removeHostContainers(s: Pick<ClusterSession, 'config'>, host: HostConfig, conn: DockerHost, volumes: boolean): Promise<string | undefined> {
  const found = await discoverHost(s.config, host, conn);
  const all = [found.current, found.next, found.old, found.previous].filter((c) => c !== undefined);
  for (const c of all) await conn.docker.getContainer(c.id).remove({ force: true, v: volumes && c.origin === 'tars-docker' });
  if (volumes && all.some((c) => c.origin === 'tars-docker')) {
    const volumes = await conn.docker.listVolumes({ filters: { label: [`com.docker.compose.project=${s.config.project}`] } });
    for (const v of volumes.Volumes ?? []) await conn.docker.getVolume(v.Name).remove().catch(() => {});
  }
  return found.name;
}

export function removeHostSteps(s: ClusterSession, name: string, result: { removed?: string; container?: string }): Step[] {
  const host = s.config.hosts.find((h) => h.name === name);
  if (!host) throw new InputError(`no host named ${name} in ${s.config.inventoryFile}`);
  if (host.role === 'master') throw new InputError(`${name} is the master: it cannot be removed (it holds the web and the first registry)`);
  return [
    {
      title: `Stop and remove the Tars container on ${name}`,
      run: async () => {
        assertNoConflict([await discoverHost(s.config, host, s.conn(host))]);
        const name = await removeHostContainers(s, host, s.conn(host), false);
        if (name) result.container = name;
      },
    },
    {
      title: `Mark ${host.address} inactive in db_tars`,
      run: async () => {
        await s.mysql.query(`UPDATE db_tars.t_node_info SET present_state = 'inactive' WHERE node_name = ?`, [host.address]);
        if (host.role === 'slave') {
          // its registry rows and any other of its servers' (ADDR:12000 too), an IPv6 address bracketed or not
          await s.mysql.query(
            `UPDATE db_tars.t_registry_info SET present_state = 'inactive' WHERE locator_id LIKE CONCAT(?, ':%') OR locator_id LIKE CONCAT('[', ?, ']:%')`,
            [host.address, host.address],
          );
        }
      },
    },
    { title: `Remove ${name} from ${s.config.inventoryFile}`, run: async () => { removeInventoryHost(s.config.inventoryFile, name); result.removed = name; } },
  ];
}
