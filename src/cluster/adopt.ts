import { existsSync } from 'node:fs';
import { parseEndpoint } from '../config/endpoint.js';
import type { InventoryHostEntry } from '../config/inventory-edit.js';
import type { DockerEndpoint, HostKeyPolicy, Role } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import type { DockerHost } from '../docker/host.js';
import type { Origin, TarsContainer } from '../docker/tars-containers.js';
import { InputError, errorMessage } from '../errors.js';
import { deriveAddress } from './adopt-address.js';
import { envOf, liveAddresses } from './adopt-env.js';

export interface AdoptRequest {
  endpoints: string[];
  tls?: { ca: string; cert: string; key: string };
  identityFile?: string;
  /** Where ssh endpoints' host keys are looked up and, with accept-new, recorded (beside the inventory written). */
  hostKeys: HostKeyPolicy;
}

export interface AdoptedHost {
  name: string;
  role: Role;
  address: string;
  /** Where the address came from: DOMAIN, a heartbeat, an interface. */
  addressFrom: string;
  container: string;
  origin: Origin;
  image: string;
  /** The ssh host key the engine was reached with: `type SHA256:…`. */
  hostKey?: string;
  entry: InventoryHostEntry & { container?: string };
}

export interface AdoptResult {
  hosts: AdoptedHost[];
  /** The .env the master's own container implies (MYSQL_*, images, the registries its engine trusts over http). */
  env: Record<string, string>;
}

const STOCK_IMAGES = { framework: 'tarscloud/framework', node: 'tarscloud/tars-node', project: 'tars' };

interface Engine {
  url: string;
  endpoint: DockerEndpoint;
  conn: DockerHost;
  running: TarsContainer[];
}

function checkFiles(req: AdoptRequest): void {
  const files: [string, string | undefined][] = [['--tls-ca', req.tls?.ca], ['--tls-cert', req.tls?.cert], ['--tls-key', req.tls?.key], ['--identity-file', req.identityFile]];
  for (const [flag, file] of files) if (file && !existsSync(file)) throw new InputError(`${flag} ${file}: no such file`);
}

async function openEngine(url: string, req: AdoptRequest): Promise<Engine> {
  let endpoint: DockerEndpoint;
  try {
    endpoint = parseEndpoint({ endpoint: url, ...(req.tls ? { tls: req.tls } : {}), ...(req.identityFile ? { identityFile: req.identityFile } : {}) }, process.cwd(), req.hostKeys);
  } catch (err) {
    throw new InputError(errorMessage(err));
  }
  let conn: DockerHost;
  try {
    conn = await connectHost({ name: url, docker: endpoint });
  } catch (err) {
    throw new InputError(`${url}: cannot reach Docker: ${errorMessage((err as { cause?: unknown }).cause ?? err)}`);
  }
  try {
    const all = await conn.tarsContainers(STOCK_IMAGES);
    const running = all.filter((c) => c.running);
    if (running.length === 0) {
      const stopped = all.length ? ` (stopped: ${all.map((c) => c.name).join(', ')})` : '';
      throw new InputError(`${url}: no running Tars container${stopped}`);
    }
    return { url, endpoint, conn, running };
  } catch (err) {
    await conn.close();
    throw err;
  }
}

const roleOf = (c: TarsContainer): Role => (c.kind === 'node' ? 'node' : c.slave ? 'slave' : 'master');

/** Read-only: connects to every engine, finds its Tars containers and derives what the inventory and .env say. */
export async function adoptCluster(req: AdoptRequest): Promise<AdoptResult> {
  checkFiles(req);
  const urls = [...new Set(req.endpoints)];
  if (urls.length === 0) throw new InputError('adopt needs at least one ENDPOINT (or --from-db)');
  const settled = await Promise.allSettled(urls.map((u) => openEngine(u, req)));
  const engines = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const masters = engines.flatMap((e) => e.running.filter((c) => roleOf(c) === 'master').map((c) => `${c.name} on ${e.url}`));
    if (masters.length !== 1) {
      throw new InputError(masters.length ? `${masters.length} masters (SLAVE not true): ${masters.join(' and ')}; a cluster has one` : `no master among ${urls.join(', ')}: adopt needs the master's engine too`);
    }
    const master = engines.flatMap((e) => e.running).find((c) => roleOf(c) === 'master')!;
    const live = await liveAddresses(master);
    const hosts: AdoptedHost[] = [];
    for (const e of engines) {
      for (const c of e.running) {
        const ips = await e.conn.networkAddresses(c.id);
        const addr = await deriveAddress(e.conn, c, ips, e.endpoint, live);
        if (!addr) throw new InputError(`${e.url}: cannot tell the address Tars uses for ${c.name}; set DOMAIN in it`);
        const role = roleOf(c);
        const base = `${role}-${addr.address.replace(/[^A-Za-z0-9]+/g, '-')}`;
        const name = hosts.some((h) => h.name === base) ? `${base}-${c.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}` : base;
        const docker = { endpoint: e.url, ...(e.endpoint.kind === 'tcp' ? { tls: e.endpoint.tls } : {}), ...(e.endpoint.kind === 'ssh' && e.endpoint.identityFile ? { identityFile: e.endpoint.identityFile } : {}) };
        hosts.push({
          name, role, address: addr.address, addressFrom: addr.from, container: c.name, origin: c.origin, image: c.image,
          ...(e.conn.hostKey ? { hostKey: `${e.conn.hostKey.type} ${e.conn.hostKey.fingerprint}` } : {}),
          entry: { name, role, address: addr.address, docker, ...(e.running.length > 1 ? { container: c.name } : {}) },
        });
      }
    }
    const order: Role[] = ['master', 'slave', 'node'];
    hosts.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.name.localeCompare(b.name));
    const masterEngine = engines.find((e) => e.running.includes(master))!;
    return { hosts, env: await envOf(master, hosts.map((h) => ({ role: h.role, image: h.image })), masterEngine.conn) };
  } finally {
    await Promise.all(engines.map((e) => e.conn.close()));
  }
}
