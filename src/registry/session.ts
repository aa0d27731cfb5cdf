import { registerSecret } from '../redact.js';
import type { Credentials } from './credentials.js';
import { RegistryError } from './errors.js';
import { parseChallenge } from './headers.js';
import type { TokenCache } from './token-cache.js';
import type { RegistryResponse, SendInit, Transport } from './transport.js';

type AuthMode = { kind: 'anonymous' } | { kind: 'basic'; header: string } | { kind: 'bearer'; realm: string; service: string };

export interface Endpoint {
  /** Name used in messages and statistics: `docker.io`, `127.0.0.1:5000`, or the mirror's host. */
  name: string;
  baseUrl: string;
}

/**
 * One registry endpoint. The auth mode is learned once from `GET /v2/` (as docker does), so later requests
 * authenticate up front instead of each collecting its own 401.
 */
export class RegistrySession {
  private mode: Promise<AuthMode> | null = null;
  private credentials: Promise<Credentials | null> | null = null;

  constructor(
    readonly endpoint: Endpoint,
    private readonly transport: Transport,
    private readonly tokens: TokenCache,
    private readonly findCredentials: () => Promise<Credentials | null>,
  ) {}

  /** A request on behalf of `repository`; 401 is turned into one line saying whether credentials were used. */
  async request(repository: string, path: string, init: SendInit): Promise<RegistryResponse> {
    const url = `${this.endpoint.baseUrl}${path}`;
    const mode = await this.authMode(init.signal);
    let res = await this.transport.send(this.endpoint.name, url, { ...init, headers: { ...init.headers, ...(await this.authHeader(mode, repository, init.signal)) } });
    if (res.status === 401 && mode.kind === 'bearer') {
      // The cached token may have been revoked early: one fresh token, then give up.
      this.tokens.drop(this.tokenKey(mode, repository, await this.creds()));
      res = await this.transport.send(this.endpoint.name, url, { ...init, headers: { ...init.headers, ...(await this.authHeader(mode, repository, init.signal)) } });
    }
    if (res.status === 401 || res.status === 403) throw await this.denied(res, repository);
    return res;
  }

  private authMode(signal?: AbortSignal): Promise<AuthMode> {
    if (!this.mode) {
      this.mode = this.probe(signal);
      // A failed probe (registry down) is retried on the next check rather than remembered.
      this.mode.catch(() => (this.mode = null));
    }
    return this.mode;
  }

  private creds(): Promise<Credentials | null> {
    if (!this.credentials) {
      this.credentials = this.findCredentials();
      this.credentials.catch(() => (this.credentials = null));
    }
    return this.credentials;
  }

  private async probe(signal?: AbortSignal): Promise<AuthMode> {
    const url = `${this.endpoint.baseUrl}/v2/`;
    const res = await this.transport.send(this.endpoint.name, url, { method: 'GET', ...(signal ? { signal } : {}) });
    if (res.status === 200) return { kind: 'anonymous' };
    if (res.status !== 401) {
      throw new RegistryError(this.endpoint.name, `GET /v2/ answered ${res.status}; is ${this.endpoint.baseUrl} a registry?`, res.status);
    }
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      return { kind: 'bearer', realm: challenge.params.realm, service: challenge.params.service ?? '' };
    }
    if (challenge?.scheme !== 'basic') {
      throw new RegistryError(this.endpoint.name, `unsupported authentication "${res.headers.get('www-authenticate') ?? 'none'}"`, 401);
    }
    const creds = await this.creds();
    if (!creds || creds.kind !== 'basic') {
      throw new RegistryError(this.endpoint.name, 'requires credentials (basic auth): set the registry username/password or run docker login', 401);
    }
    const header = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    registerSecret(header.slice(6));
    const check = await this.transport.send(this.endpoint.name, url, { method: 'GET', headers: { authorization: header }, ...(signal ? { signal } : {}) });
    if (check.status !== 200) {
      throw new RegistryError(this.endpoint.name, `authentication failed for user "${creds.username}" (${check.status})`, check.status);
    }
    return { kind: 'basic', header };
  }

  private async authHeader(mode: AuthMode, repository: string, signal?: AbortSignal): Promise<Record<string, string>> {
    if (mode.kind === 'anonymous') return {};
    if (mode.kind === 'basic') return { authorization: mode.header };
    const creds = await this.creds();
    const token = await this.tokens.get(this.tokenKey(mode, repository, creds), () => this.fetchToken(mode, repository, creds, signal));
    return { authorization: `Bearer ${token}` };
  }

  private tokenKey(mode: { realm: string; service: string }, repository: string, creds: Credentials | null): string {
    const who = !creds ? '' : creds.kind === 'basic' ? creds.username : 'identity';
    return `${mode.realm}|${mode.service}|repository:${repository}:pull|${who}`;
  }

  private async fetchToken(
    mode: { realm: string; service: string },
    repository: string,
    creds: Credentials | null,
    signal?: AbortSignal,
  ): Promise<{ token: string; expiresInMs: number }> {
    const scope = `repository:${repository}:pull`;
    const url = new URL(mode.realm);
    let init: SendInit;
    if (creds?.kind === 'identity') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.token, service: mode.service, scope, client_id: 'tars-docker' });
      init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), token: true };
    } else {
      if (mode.service) url.searchParams.set('service', mode.service);
      url.searchParams.set('scope', scope);
      const headers: Record<string, string> = {};
      if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      init = { method: 'GET', headers, token: true };
    }
    if (signal) init.signal = signal;
    const res = await this.transport.send(this.endpoint.name, url.toString(), init);
    const server = url.host;
    if (res.status === 401 || res.status === 403) {
      const who = creds?.kind === 'basic' ? `user "${creds.username}"` : creds ? 'the stored identity token' : 'anonymous access';
      throw new RegistryError(this.endpoint.name, `token server ${server} refused ${who} (${res.status}): authentication failed`, res.status);
    }
    if (res.status !== 200) throw new RegistryError(this.endpoint.name, `token server ${server} answered ${res.status}`, res.status);
    let parsed: { token?: string; access_token?: string; expires_in?: number };
    try {
      parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
    } catch (err) {
      throw new RegistryError(this.endpoint.name, `token server ${server} sent no JSON`, res.status, { cause: err });
    }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new RegistryError(this.endpoint.name, `token server ${server} sent no token`, res.status);
    registerSecret(token);
    // Lifetime counts from now rather than issued_at, so a skewed server clock cannot make every token stale;
    // the spec's default lifetime when expires_in is missing is 60 s.
    return { token, expiresInMs: (parsed.expires_in ?? 60) * 1000 };
  }

  private async denied(res: RegistryResponse, repository: string): Promise<RegistryError> {
    const creds = await this.creds().catch(() => null);
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (challenge?.params.error === 'insufficient_scope' || res.status === 403) {
      return new RegistryError(this.endpoint.name, `access to ${repository} denied (${res.status}): it does not exist or these credentials may not pull it`, res.status);
    }
    const who = creds?.kind === 'basic' ? `user "${creds.username}"` : creds ? 'the stored identity token' : 'no credentials';
    return new RegistryError(this.endpoint.name, `authentication failed for ${repository} with ${who} (${res.status})`, res.status);
  }
}
