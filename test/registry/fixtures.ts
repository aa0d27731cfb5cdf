/**
 * Local stand-ins for the registries `check` talks to: real `docker-registry` processes (plain and htpasswd),
 * a bearer-token server with a registry front that demands its tokens, a front that fails N times first, a TCP
 * server that never answers, and a webhook receiver. Loopback only; every helper returns a stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, usable as the registry part of an image reference. */
  host: string;
  url: string;
  auth?: { username: string; password: string };
  stop(): Promise<void>;
}

export async function startRegistry(opts: { auth?: { username: string; password: string } } = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'tars-docker-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log: {level: error, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: "127.0.0.1:${port}", secret: ${randomBytes(8).toString('hex')}}`,
  ];
  if (opts.auth) {
    await writeFile(join(dir, 'htpasswd'), `${opts.auth.username}:${bcrypt.hashSync(opts.auth.password, 6)}\n`);
    lines.push(`auth: {htpasswd: {realm: lab-registry, path: ${join(dir, 'htpasswd')}}}`);
  }
  await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200 || res.status === 401) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    ...(opts.auth ? { auth: opts.auth } : {}),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function basicHeader(auth?: { username: string; password: string }): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

async function pushBlob(reg: LocalRegistry, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`${reg.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: basicHeader(reg.auth) });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
  const location = new URL(start.headers.get('location')!, reg.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...basicHeader(reg.auth), 'content-type': 'application/octet-stream' },
    body: new Uint8Array(data),
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  return digest;
}

async function putManifest(reg: LocalRegistry, repo: string, ref: string, mediaType: string, body: string): Promise<string> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${ref}`, {
    method: 'PUT',
    headers: { ...basicHeader(reg.auth), 'content-type': mediaType },
    body,
  });
  if (res.status !== 201) throw new Error(`manifest put ${repo}:${ref}: ${res.status} ${await res.text()}`);
  return res.headers.get('docker-content-digest') ?? sha256(body);
}

const SCHEMA2 = 'application/vnd.docker.distribution.manifest.v2+json';

/** A schema2 image whose config differs per `seed`, so re-pushing a tag with a new seed moves its digest. */
export async function pushImage(reg: LocalRegistry, repo: string, tag: string, seed = tag, arch = 'amd64'): Promise<string> {
  const manifest = await imageManifest(reg, repo, seed, arch);
  return putManifest(reg, repo, tag, SCHEMA2, manifest);
}

async function imageManifest(reg: LocalRegistry, repo: string, seed: string, arch: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { seed } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = Buffer.from(`layer ${seed}`);
  const [configDigest, layerDigest] = await Promise.all([pushBlob(reg, repo, config), pushBlob(reg, repo, layer)]);
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: SCHEMA2,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }],
  });
}

/** An OCI index over one image per architecture: the multi-arch case. */
export async function pushIndex(reg: LocalRegistry, repo: string, tag: string, seed = tag): Promise<string> {
  const manifests = [];
  for (const arch of ['amd64', 'arm64']) {
    const body = await imageManifest(reg, repo, `${seed}-${arch}`, arch);
    const digest = await putManifest(reg, repo, sha256(body), SCHEMA2, body);
    manifests.push({ mediaType: SCHEMA2, size: Buffer.byteLength(body), digest, platform: { architecture: arch, os: 'linux' } });
  }
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests });
  return putManifest(reg, repo, tag, 'application/vnd.oci.image.index.v1+json', index);
}

export interface Server {
  url: string;
  host: string;
  stop(): Promise<void>;
}

async function listen(server: http.Server | net.Server): Promise<{ url: string; host: string; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Forwards a request to the real registry, without the client's Authorization header. */
type Upstream = Pick<LocalRegistry, 'url' | 'host' | 'auth'>;

function proxy(upstream: Upstream, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host };
  delete headers.authorization;
  Object.assign(headers, basicHeader(upstream.auth));
  const out = http.request(`${upstream.url}${req.url}`, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', () => res.writeHead(502).end());
  req.pipe(out);
}

export interface BearerSetup {
  registry: Server & { requests: number };
  tokens: Server & { issued: number; refused: number };
}

/**
 * A token server (realm) and a registry front that accepts only its tokens, like auth.docker.io in front of
 * registry-1.docker.io. `users` enables basic-auth logins at the token server; `anonymous` allows pulls without.
 */
export async function startBearer(upstream: Upstream, opts: { users?: Record<string, string>; anonymous?: boolean; ttlSeconds?: number } = {}): Promise<BearerSetup> {
  const valid = new Map<string, { scope: string; until: number }>();
  const service = 'test-registry';
  const tokenState = { issued: 0, refused: 0 };
  const tokenServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    let ok = opts.anonymous ?? true;
    if (auth?.startsWith('Basic ')) {
      const [user, pass] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
      ok = !!user && opts.users?.[user] === pass;
    }
    if (!ok || url.searchParams.get('service') !== service) {
      tokenState.refused++;
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
      return;
    }
    tokenState.issued++;
    const token = randomBytes(16).toString('hex');
    const ttl = opts.ttlSeconds ?? 300;
    valid.set(token, { scope: url.searchParams.get('scope') ?? '', until: Date.now() + ttl * 1000 });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: ttl, issued_at: new Date().toISOString() }));
  });
  const tokens = await listen(tokenServer);
  const front = { requests: 0 };
  const registryServer = http.createServer((req, res) => {
    front.requests++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const repo = /^\/v2\/(.+?)\/(?:tags|manifests|blobs)\//.exec(path)?.[1];
    const scope = repo ? `repository:${repo}:pull` : '';
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null;
    const grant = bearer ? valid.get(bearer) : undefined;
    const fresh = grant && grant.until > Date.now();
    if (!fresh || (repo && grant.scope !== scope)) {
      const extra = fresh ? ',error="insufficient_scope"' : '';
      const scopePart = scope ? `,scope="${scope}"` : '';
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.url}/token",service="${service}"${scopePart}${extra}`, 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    proxy(upstream, req, res);
  });
  const registry = await listen(registryServer);
  return {
    registry: { ...registry, get requests() { return front.requests; } },
    tokens: { ...tokens, get issued() { return tokenState.issued; }, get refused() { return tokenState.refused; } },
  };
}

/** A registry front that answers `status` for the first `failures` requests to tag lists, then forwards. */
export async function startFlaky(upstream: Upstream, opts: { failures: number; status?: number; retryAfter?: string }): Promise<Server & { hits: number }> {
  const state = { hits: 0, failed: 0 };
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').includes('/tags/list')) {
      state.hits++;
      if (state.failed < opts.failures) {
        state.failed++;
        const headers: Record<string, string> = { 'content-type': 'application/json', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' };
        if (opts.retryAfter !== undefined) headers['retry-after'] = opts.retryAfter;
        res.writeHead(opts.status ?? 429, headers).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
        return;
      }
    }
    proxy(upstream, req, res);
  });
  const s = await listen(server);
  return { ...s, get hits() { return state.hits; } };
}

/**
 * distribution 2.8 ignores `n` and returns every tag at once; Docker Hub and distribution 3 page with
 * `Link: <...?last=X&n=N>; rel="next"`. This front pages the upstream's list that way, at most `pageSize` a page.
 */
export async function startPaginating(upstream: Upstream, opts: { pageSize: number }): Promise<Server & { pages: number; paths: string[] }> {
  const state = { pages: 0, paths: [] as string[] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.paths.push(`${req.method} ${url.pathname}`);
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return proxy(upstream, req, res);
    state.pages++;
    void fetch(`${upstream.url}/v2/${m[1]}/tags/list`, { headers: basicHeader(upstream.auth) }).then(async (up) => {
      if (up.status !== 200) return void res.writeHead(up.status, { 'content-type': 'application/json' }).end(await up.text());
      const all = (((await up.json()) as { tags: string[] | null }).tags ?? []).sort();
      const n = Math.min(Number(url.searchParams.get('n') ?? opts.pageSize), opts.pageSize);
      const last = url.searchParams.get('last');
      const from = last === null ? 0 : all.findIndex((t) => t > last);
      const page = from < 0 ? [] : all.slice(from, from + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (from >= 0 && from + n < all.length) headers.link = `</v2/${m[1]}/tags/list?last=${encodeURIComponent(page[page.length - 1]!)}&n=${n}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: m[1], tags: page }));
    });
  });
  const s = await listen(server);
  return { ...s, get pages() { return state.pages; }, get paths() { return state.paths; } };
}

/** Accepts TCP connections and never says a word: the registry that hangs. */
/** Accepts connections and never answers; counts them, so a test can tell one attempt from retries. */
export async function startSilent(): Promise<Server & { connections: number }> {
  const state = { connections: 0 };
  const server = net.createServer(() => {
    state.connections++;
  });
  const s = await listen(server);
  return { ...s, get connections() { return state.connections; } };
}

export interface Receiver extends Server {
  posts: { path: string; body: unknown }[];
  /** Status to answer with; set to 500 to make the notifier fail. */
  status: number;
}

export async function startReceiver(): Promise<Receiver> {
  const state = { posts: [] as { path: string; body: unknown }[], status: 200 };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && state.status === 200) state.posts.push({ path: req.url ?? '/', body: JSON.parse(data || 'null') });
      res.writeHead(state.status, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  const s = await listen(server);
  return {
    ...s,
    get posts() { return state.posts; },
    get status() { return state.status; },
    set status(v: number) { state.status = v; },
  };
}
