import { InputError } from '../errors.js';

/** Docker Hub's canonical name; `index.docker.io` and `registry-1.docker.io` are aliases of it. */
export const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

export interface ImageReference {
  /** host[:port], `docker.io` for Docker Hub. */
  registry: string;
  /** Path inside the registry, with `library/` for official Hub images. */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Same rules as the docker CLI: the first path element is a registry only if it looks like a host name. */
/** parseReference for references read from engines, which may be anything: null instead of an error. */
export function tryParseReference(ref: string | null | undefined): ImageReference | null {
  if (!ref) return null;
  try {
    return parseReference(ref);
  } catch {
    return null;
  }
}

export function parseReference(ref: string): ImageReference {
  const input = ref.trim();
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new InputError(`invalid image reference "${input}": bad digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InputError(`invalid image reference "${input}": bad tag "${tag}"`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  const looksLikeHost = first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
  if (parts.length > 1 && looksLikeHost) {
    registry = first.toLowerCase();
    parts.shift();
  }
  if (HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) {
    throw new InputError(`invalid image reference "${input}": repository must be lowercase path components`);
  }
  const out: ImageReference = { registry, repository: parts.join('/') };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** The short form people write: `tarscloud/framework`, `nginx`, `10.213.7.1:5000/tarscloud/framework`. */
export function familiarName(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  return ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
}

export function formatReference(ref: ImageReference): string {
  let out = familiarName(ref);
  if (ref.tag) out += `:${ref.tag}`;
  if (ref.digest) out += `@${ref.digest}`;
  return out;
}

/** Two spellings of the same repository (`nginx` and `docker.io/library/nginx:1`) compare equal. */
export function sameRepository(a: ImageReference, b: ImageReference): boolean {
  return a.registry === b.registry && a.repository === b.repository;
}

/**
 * The digest Docker recorded when it pulled `image` (one of `docker image inspect`'s RepoDigests, which are
 * `repo@sha256:...` in any spelling of the repository); null when the image was never pulled from there.
 */
export function repoDigestFor(image: string, repoDigests: readonly string[]): string | null {
  const want = parseReference(image);
  for (const entry of repoDigests) {
    try {
      const ref = parseReference(entry);
      if (ref.digest && sameRepository(ref, want)) return ref.digest;
    } catch {
      // A RepoDigest this parser does not understand cannot be the one we look for.
    }
  }
  return null;
}
