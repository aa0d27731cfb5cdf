import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { HostKeyPolicy } from './types.js';

export interface HostKeyOptions {
  acceptNew: boolean;
  announce?: (line: string) => void;
}

/** Where accepted keys go when the inventory names no `knownHosts:` file. */
export const DEFAULT_KNOWN_HOSTS = 'known_hosts';

/**
 * The files OpenSSH reads by default (the user's, then the system's), then the inventory's own, which is the one
 * `--accept-new-host-keys` writes: `knownHosts:` relative to the inventory, or `known_hosts` beside it.
 */
export function hostKeyPolicy(inventoryFile: string, knownHosts: string | undefined, opts: HostKeyOptions): HostKeyPolicy {
  const own = resolve(dirname(inventoryFile), expandHome(knownHosts ?? DEFAULT_KNOWN_HOSTS));
  return {
    files: [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts', own],
    recordTo: own,
    acceptNew: opts.acceptNew,
    ...(opts.announce ? { announce: opts.announce } : {}),
  };
}

/** `~/x` as a shell would read it; the inventory's file paths are often written that way. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
