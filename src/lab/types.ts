/** Names and addresses are fixed so every lab command, test and demo agrees on them without a lookup. */
export const LAB_SUBNET = '10.213.7.0/24';
export const LAB_GATEWAY = '10.213.7.1';
export const LAB_PREFIX = 24;
export const LAB_BRIDGE = 'tdlab0';
export const NETNS_PREFIX = 'tdlab-';
export const LINK_PREFIX = 'tdl-';
export const REGISTRY_PLAIN = `${LAB_GATEWAY}:5000`;
export const REGISTRY_AUTH = `${LAB_GATEWAY}:5001`;
export const REGISTRY_USER = 'tars';
export const MYSQL_PORT = 3306;
export const DOCKER_TLS_PORT = 2376;
/** Short, tmpfs-backed root for exec roots and sockets: unix socket paths must stay under 108 bytes. */
export const RUN_ROOT = '/run/tdlab';

export function hostName(index: number): string {
  return `h${index}`;
}

export function hostAddress(index: number): string {
  return `10.213.7.${10 + index}`;
}

export interface LabHost {
  name: string;
  address: string;
  endpoints: { unix: string; tcp: string; ssh: string };
}

export interface LabInfra {
  dir: string;
  subnet: string;
  gateway: string;
  /** Socket of the root-namespace engine that builds and pushes the stand-in images. */
  buildSocket: string;
  registry: { plain: string; auth: string; username: string; password: string };
  mysql: { host: string; port: number; user: string; password: string };
  sshKey: string;
  /** OpenSSH known_hosts with every lab host's sshd key, written by the lab that made those keys. */
  knownHosts: string;
  certs: { ca: string; clientCert: string; clientKey: string };
  hosts: LabHost[];
}

/** A process we started; `marker` is a path its command line must contain, so a reused pid is never killed. */
export interface ProcRecord {
  pid: number;
  exe: string;
  marker: string;
  log: string;
}

/** An engine's private paths; the same shape serves the hosts and the build engine. */
export interface EngineState {
  name: string;
  dataRoot: string;
  execRoot: string;
  socket: string;
  pidFile: string;
  log: string;
}

export interface HostState extends EngineState {
  index: number;
  address: string;
  netns: string;
  link: string;
  hostDir: string;
}

export interface LabState {
  version: 1;
  dir: string;
  runBase: string;
  bridge: string | null;
  hosts: HostState[];
  build: EngineState | null;
  /** Keyed by role, e.g. `h1.dockerd`, `h1.sshd`, `registry.plain`, `mysql`, `build.dockerd`. */
  processes: Record<string, ProcRecord>;
  /** The FORWARD rule we inserted (only when the policy would drop bridged traffic), for removal. */
  forwardRule: string[] | null;
  mysqlReady: boolean;
}

export interface LabSecrets {
  mysqlRootPassword: string;
  registryPassword: string;
}

export type Log = (line: string) => void;
