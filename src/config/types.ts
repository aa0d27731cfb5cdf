import type { Hooks } from './hooks.js';

export type Role = 'master' | 'slave' | 'node';
export const ROLES: readonly Role[] = ['master', 'slave', 'node'];

/** How tars-docker reaches one host's Docker engine. Paths are absolute once loaded. */
export type DockerEndpoint =
  | { kind: 'unix'; url: string; socketPath: string }
  | { kind: 'tcp'; url: string; host: string; port: number; tls: { ca: string; cert: string; key: string } }
  | { kind: 'ssh'; url: string; host: string; port: number; user: string; identityFile?: string; hostKeys: HostKeyPolicy };

/** How an ssh endpoint's host key is checked, the way OpenSSH checks it against its known_hosts files. */
export interface HostKeyPolicy {
  /** Read in this order; a key found in any of them is trusted. */
  files: string[];
  /** The inventory's own known-hosts file (one of `files`): where accepted keys are recorded. */
  recordTo: string;
  /** `--accept-new-host-keys`, i.e. OpenSSH's StrictHostKeyChecking=accept-new: record a host seen the first time. */
  acceptNew: boolean;
  /** Told one line each time a key is recorded. */
  announce?: (line: string) => void;
}

export interface HostConfig {
  name: string;
  role: Role;
  /** The IP (or DOMAIN) Tars binds on that host: INET's address for a framework, DOMAIN for a node. */
  address: string;
  docker: DockerEndpoint;
  /** The name of the host's Tars container; needed only where several inventory hosts share one engine. */
  container?: string;
  /** Per-host env overrides from the inventory (e.g. DOMAIN); the guard reads them too. */
  env?: Record<string, string>;
}

export interface MysqlConfig {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface ImageConfig {
  /** Repository without tag, e.g. tarscloud/framework or 10.213.7.1:5000/tarscloud/framework. */
  framework: string;
  node: string;
  /** Tag of the node image; empty means "the same tag as the framework". */
  nodeTag: string;
}

export interface RegistryConfig {
  mirror?: string;
  username?: string;
  password?: string;
  /** Registries spoken to over plain HTTP (host, host:port or IPv4 CIDR), as dockerd's insecure-registries. */
  insecure: string[];
}

export interface Config {
  envFile: string;
  inventoryFile: string;
  /** Label value and compose project name that mark containers as ours. */
  project: string;
  mysql: MysqlConfig;
  /** REBUILD as written in the env file; the guard reports anything but false, containers always get false. */
  rebuild: string | undefined;
  images: ImageConfig;
  registry: RegistryConfig;
  hosts: HostConfig[];
  hostKeys: HostKeyPolicy;
  /** Inventory `hooks:`; absent where a Config is built without an inventory. */
  hooks?: Hooks;
  /** Raw key/value pairs of the env file, for the guard. */
  env: Record<string, string>;
}
