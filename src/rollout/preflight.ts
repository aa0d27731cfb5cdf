import { statfs } from 'node:fs/promises';
import type { Config, HostConfig } from '../config/types.js';
import { containerSpec } from '../cluster/container-spec.js';
import type { ClusterSession } from '../cluster/session.js';
import { InputError, TarsDockerError } from '../errors.js';
import type { RegistryClient } from '../registry/index.js';
import { parseReference } from '../registry/reference.js';
import { parseVersionTag } from '../versions/index.js';

export interface PreflightLine {
  check: string;
  detail: string;
}

export function assertVersionTag(v: string, flag: string): void {
  if (!parseVersionTag(v)) throw new InputError(`${flag} "${v}" is not a version like v3.0.16`);
}

/** Refuses a move to an older version unless asked for; an unknown current version never counts as newer. */
export function assertDirection(from: string | null, to: string, allowDowngrade: boolean): PreflightLine {
  const a = from ? parseVersionTag(from) : null;
  const b = parseVersionTag(to)!;
  if (a && b.version.compare(a.version) < 0 && !allowDowngrade) {
    throw new InputError(`${to} is older than the running ${from}: a downgrade needs --allow-downgrade`);
  }
  return { check: 'direction', detail: a ? `${from} -> ${to}` : `unknown -> ${to}` };
}

/** Both images must have the target tag before anything is pulled or stopped (asked at once). */
export async function assertTagsExist(config: Config, client: RegistryClient, to: string): Promise<PreflightLine> {
  const master = config.hosts.find((h) => h.role === 'master')!;
  const node = config.hosts.find((h) => h.role === 'node');
  const images = [containerSpec(config, master, to).image, ...(node ? [containerSpec(config, node, to).image] : [])];
  const digests = await Promise.all(images.map((image) => {
    const ref = parseReference(image);
    return client.digest(ref, ref.tag!);
  }));
  const missing = images.findIndex((_, i) => !digests[i]);
  if (missing >= 0) throw new InputError(`${images[missing]} does not exist in the registry (no such tag ${parseReference(images[missing]!).tag})`);
  return { check: 'registry', detail: `${images.join(', ')} exist` };
}

const MIN_FREE_BYTES = 2 * 1024 ** 3;

/** Free space under each engine's data root, all engines at once; measurable only for engines on this machine (unix sockets). */
export async function assertDiskSpace(s: ClusterSession, hosts: HostConfig[]): Promise<PreflightLine> {
  const parts = await Promise.all(hosts.map(async (host) => {
    if (host.docker.kind !== 'unix') return { host, detail: `${host.name} not measurable remotely` };
    const { rootDir } = await s.conn(host).info();
    const fs = await statfs(rootDir);
    const free = fs.bavail * fs.bsize;
    return { host, free, root: rootDir, detail: `${host.name} ${(free / 1024 ** 3).toFixed(0)} GiB free` };
  }));
  const short = parts.find((p) => p.free !== undefined && p.free < MIN_FREE_BYTES);
  if (short) {
    throw new TarsDockerError(`${short.host.name}: only ${(short.free! / 1024 ** 3).toFixed(1)} GiB free under ${short.root}, need 2 GiB for the new image`);
  }
  return { check: 'disk', detail: parts.map((p) => p.detail).join(', ') };
}
