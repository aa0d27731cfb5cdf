import type Dockerode from 'dockerode';
import { ensureTag, followProgress } from './image-progress.js';

export interface RegistryAuth {
  username: string;
  password: string;
}

/** A registry the lab images are pushed to, as `host:port` (the lab's registries speak plain HTTP). */
export interface LabRegistry {
  address: string;
  auth?: RegistryAuth;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** The digest the registry holds for repo:tag, or undefined when it has none or cannot be asked. */
export async function remoteDigest(registry: LabRegistry, repo: string, tag: string): Promise<string | undefined> {
  const headers: Record<string, string> = { accept: MANIFEST_TYPES };
  if (registry.auth) {
    const { username, password } = registry.auth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  try {
    const res = await fetch(`http://${registry.address}/v2/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers,
      signal: AbortSignal.timeout(5000),
    });
    return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pushes local image `source` as registry/repo:tag unless the registry already serves exactly the digest this
 * engine last pushed for that image, which makes an unchanged rebuild cost one HEAD per tag.
 */
export async function pushIfChanged(
  docker: Dockerode,
  registry: LabRegistry,
  source: string,
  repo: string,
  tag: string,
): Promise<'pushed' | 'unchanged'> {
  const remoteRepo = `${registry.address}/${repo}`;
  await ensureTag(docker, source, `${remoteRepo}:${tag}`);
  const local = await docker.getImage(`${remoteRepo}:${tag}`).inspect();
  const known = new Set((local.RepoDigests ?? []).filter((d) => d.startsWith(`${remoteRepo}@`)).map((d) => d.split('@')[1]));
  const remote = await remoteDigest(registry, repo, tag);
  if (remote && known.has(remote)) return 'unchanged';
  // the Engine wants an X-Registry-Auth header on every push, even an empty one
  const authconfig = registry.auth ? { ...registry.auth, serveraddress: registry.address } : {};
  const stream = await docker.getImage(remoteRepo).push({ tag, authconfig });
  await followProgress(docker, stream, `pushing ${remoteRepo}:${tag}`);
  return 'pushed';
}
