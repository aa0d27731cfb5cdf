import { createHash } from 'node:crypto';
import { registerSecret } from '../redact.js';
import { credentialsFromDockerConfig, dockerConfigPath, readDockerConfig, type Credentials } from './credentials.js';
import { RegistryError } from './errors.js';
import { nextLink } from './headers.js';
import { DOCKER_HUB, parseReference, type ImageReference } from './reference.js';
import { registryBaseUrl } from './scheme.js';
import { RegistrySession, type Endpoint } from './session.js';
import { TokenCache } from './token-cache.js';
import { Transport, type RequestStats, type RetryOptions, type TransportOptions } from './transport.js';

/** Index and list first: a multi-arch tag's digest is the one `docker pull` records in RepoDigests. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

export interface RegistryClientOptions {
  /** Explicit credentials per registry host (from `.env`); they win over `~/.docker/config.json`. */
  credentials?: Record<string, { username: string; password: string }>;
  /** Path of docker's config.json; `false` to ignore it. Default: $DOCKER_CONFIG or ~/.docker. */
  dockerConfig?: string | false;
  /** Tried before Docker Hub for Docker Hub images only, like dockerd's registry-mirrors. */
  mirror?: string;
  /** Registries spoken to over plain HTTP besides loopback: host, host:port or IPv4 CIDR. */
  insecureRegistries?: string[];
  /** Docker Hub's API endpoint; replaceable so tests never leave the machine. */
  dockerHubUrl?: string;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Tags asked for per page of the tag list. */
  pageSize?: number;
  log?: (line: string) => void;
  /** Told of every HTTP exchange (status, rate-limit headers); `watch --metrics` counts them. */
  onRequest?: TransportOptions['onRequest'];
}

export type ImageInput = string | ImageReference;

/** Read-only OCI distribution client: tag lists and manifest digests. It has no way to fetch a blob. */
export class RegistryClient {
  private readonly transport: Transport;
  private readonly tokens = new TokenCache();
  private readonly sessions = new Map<string, RegistrySession>();
  private readonly log: (line: string) => void;

  constructor(private readonly opts: RegistryClientOptions = {}) {
    this.log = opts.log ?? (() => {});
    const transport: TransportOptions = { log: this.log };
    if (opts.timeoutMs !== undefined) transport.timeoutMs = opts.timeoutMs;
    if (opts.retry) transport.retry = opts.retry;
    if (opts.onRequest) transport.onRequest = opts.onRequest;
    this.transport = new Transport(transport);
    for (const c of Object.values(opts.credentials ?? {})) registerSecret(c.password);
  }

  get stats(): RequestStats {
    return this.transport.stats;
  }

  resetStats(): void {
    this.transport.resetStats();
  }

  /** Every tag of the repository, following `Link: rel="next"` until the last page. */
  async listTags(image: ImageInput, signal?: AbortSignal): Promise<string[]> {
    const ref = toRef(image);
    const what = `tag list of ${ref.repository}`;
    return this.viaEndpoints(ref, async (session, fail) => {
      const tags: string[] = [];
      const seen = new Set<string>();
      let path: string | null = `/v2/${ref.repository}/tags/list?n=${this.opts.pageSize ?? 100}`;
      while (path !== null) {
        if (seen.has(path) || seen.size >= 10_000) throw fail(`${what} does not end`);
        seen.add(path);
        const res = await session.request(ref.repository, path, { method: 'GET', ...(signal ? { signal } : {}) });
        if (res.status === 404) throw fail(`repository ${ref.repository} not found`, 404);
        if (res.status !== 200) throw fail(`${what} answered ${res.status}`, res.status);
        const body = parseJson(res.body, () => fail(`${what} is not JSON`)) as { tags?: string[] | null };
        tags.push(...(body.tags ?? []));
        const next = nextLink(res.headers.get('link'), res.url);
        path = next === null ? null : relativeTo(next, session.endpoint.baseUrl);
      }
      return [...new Set(tags)];
    });
  }

  /** Digest of the manifest (or index) a tag points at, by HEAD; null if the tag does not exist. */
  async digest(image: ImageInput, tag: string, signal?: AbortSignal): Promise<string | null> {
    const ref = toRef(image);
    const what = `manifest ${ref.repository}:${tag}`;
    return this.viaEndpoints(ref, async (session, fail, isLast) => {
      const path = `/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`;
      const init = { headers: { accept: MANIFEST_ACCEPT }, ...(signal ? { signal } : {}) };
      const head = await session.request(ref.repository, path, { method: 'HEAD', ...init });
      if (head.status === 404) {
        // A mirror that lacks the tag is no proof it does not exist: let the origin answer.
        if (!isLast) throw fail(`${what} not found`, 404);
        return null;
      }
      if (head.status !== 200) throw fail(`${what} answered ${head.status}`, head.status);
      const fromHeader = head.headers.get('docker-content-digest');
      if (fromHeader) return fromHeader;
      // Some registries omit the header on HEAD; the manifest is small and its hash is the digest by definition.
      const get = await session.request(ref.repository, path, { method: 'GET', ...init });
      if (get.status !== 200) throw fail(`${what} answered ${get.status}`, get.status);
      const digest = get.headers.get('docker-content-digest');
      return digest ?? `sha256:${createHash('sha256').update(get.body).digest('hex')}`;
    });
  }

  private async viaEndpoints<T>(
    ref: ImageReference,
    fn: (s: RegistrySession, fail: (msg: string, status?: number) => RegistryError, isLast: boolean) => Promise<T>,
  ): Promise<T> {
    const endpoints = this.endpointsFor(ref);
    for (let i = 0; i < endpoints.length; i++) {
      const endpoint = endpoints[i]!;
      const isLast = i === endpoints.length - 1;
      const fail = (msg: string, status?: number): RegistryError => new RegistryError(endpoint.name, msg, status);
      try {
        return await fn(this.session(endpoint, ref.registry), fail, isLast);
      } catch (err) {
        if (isLast || !(err instanceof RegistryError)) throw err;
        this.log(`${err.message}; trying ${ref.registry}`);
      }
    }
    throw new Error('no registry endpoint');
  }

  private endpointsFor(ref: ImageReference): Endpoint[] {
    const insecure = this.opts.insecureRegistries ?? [];
    if (ref.registry !== DOCKER_HUB) return [{ name: ref.registry, baseUrl: registryBaseUrl(ref.registry, insecure) }];
    const hubUrl = this.opts.dockerHubUrl ?? 'https://registry-1.docker.io';
    const hub = { name: DOCKER_HUB, baseUrl: hubUrl.replace(/\/+$/, '') };
    if (!this.opts.mirror) return [hub];
    const base = registryBaseUrl(this.opts.mirror, insecure);
    return [{ name: `mirror ${new URL(base).host}`, baseUrl: base }, hub];
  }

  private session(endpoint: Endpoint, registry: string): RegistrySession {
    let s = this.sessions.get(endpoint.baseUrl);
    if (!s) {
      // A mirror is looked up in docker's config under its own host, never with the origin's credentials.
      const credHost = endpoint.name === registry ? registry : new URL(endpoint.baseUrl).host;
      s = new RegistrySession(endpoint, this.transport, this.tokens, () => this.credentialsFor(credHost));
      this.sessions.set(endpoint.baseUrl, s);
    }
    return s;
  }

  private async credentialsFor(registry: string): Promise<Credentials | null> {
    const explicit = this.opts.credentials?.[registry];
    if (explicit) return { kind: 'basic', ...explicit };
    if (this.opts.dockerConfig === false) return null;
    const file = await readDockerConfig(this.opts.dockerConfig ?? dockerConfigPath());
    return file ? credentialsFromDockerConfig(file, registry) : null;
  }
}

function toRef(image: ImageInput): ImageReference {
  return typeof image === 'string' ? parseReference(image) : image;
}

function relativeTo(url: string, base: string): string {
  return url.startsWith(base) ? url.slice(base.length) : new URL(url).pathname + new URL(url).search;
}

function parseJson(body: Buffer, fail: () => RegistryError): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw fail();
  }
}
