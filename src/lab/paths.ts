import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import {
  EngineState,
  HostState,
  LINK_PREFIX,
  NETNS_PREFIX,
  RUN_ROOT,
  hostAddress,
  hostName,
} from './types.js';

/** Leaves room for the longest name dockerd and containerd append under a socket's directory. */
const SOCKET_LIMIT = 100;

export function labDir(dir: string): string {
  const abs = resolve(dir);
  // Paths are written unquoted into sshd_config, registry YAML and the inventory.
  if (/[\s"'#:,{}\[\]]/.test(abs)) throw new InputError(`lab directory must not contain spaces or quotes: ${abs}`);
  return abs;
}

/** One short directory per lab dir, so two checkouts never share exec roots. */
export function runBase(dir: string): string {
  const tag = createHash('sha256').update(dir).digest('hex').slice(0, 8);
  return join(RUN_ROOT, tag);
}

export function socketPath(preferred: string, fallback: string): string {
  return Buffer.byteLength(preferred) <= SOCKET_LIMIT ? preferred : fallback;
}

export const labFiles = (dir: string) => ({
  state: join(dir, 'state.json'),
  secrets: join(dir, 'secrets.json'),
  marker: join(dir, '.tdlab'),
  daemonJson: join(dir, 'daemon.json'),
  certs: join(dir, 'certs'),
  ssh: join(dir, 'ssh'),
  sshKey: join(dir, 'ssh', 'id_ed25519'),
  authorizedKeys: join(dir, 'ssh', 'authorized_keys'),
  /** Named by the lab inventory's `knownHosts:`; it is also where an inventory without that key would look. */
  knownHosts: join(dir, 'known_hosts'),
  registry: join(dir, 'registry'),
  mysql: join(dir, 'mysql'),
  envFile: join(dir, '.env'),
  inventory: join(dir, 'tars-docker.yml'),
});

export function hostLayout(dir: string, index: number): HostState {
  const name = hostName(index);
  const hostDir = join(dir, 'hosts', name);
  const run = join(runBase(dir), name);
  return {
    name,
    index,
    address: hostAddress(index),
    netns: `${NETNS_PREFIX}${name}`,
    link: `${LINK_PREFIX}${name}`,
    hostDir,
    dataRoot: join(hostDir, 'data'),
    execRoot: join(run, 'exec'),
    socket: socketPath(join(hostDir, 'docker.sock'), join(run, 'docker.sock')),
    pidFile: join(hostDir, 'dockerd.pid'),
    log: join(hostDir, 'dockerd.log'),
  };
}

export function buildLayout(dir: string): EngineState {
  const base = join(dir, 'build');
  const run = join(runBase(dir), 'build');
  return {
    name: 'build',
    dataRoot: join(base, 'data'),
    execRoot: join(run, 'exec'),
    socket: socketPath(join(base, 'docker.sock'), join(run, 'docker.sock')),
    pidFile: join(base, 'dockerd.pid'),
    log: join(base, 'dockerd.log'),
  };
}

export const certFiles = (dir: string) => {
  const c = join(dir, 'certs');
  return {
    dir: c,
    ca: join(c, 'ca.pem'),
    caKey: join(c, 'ca-key.pem'),
    clientCert: join(c, 'client-cert.pem'),
    clientKey: join(c, 'client-key.pem'),
    serverCert: (host: string) => join(c, `${host}-cert.pem`),
    serverKey: (host: string) => join(c, `${host}-key.pem`),
  };
};
