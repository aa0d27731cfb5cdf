import type { Credentials } from './credentials.js';
import { RegistryError } from './errors.js';
import { parseChallenge } from './headers.js';
import { basicAuth, fetchToken, who, type BearerRealm } from './token.js';
import type { TokenCache } from './token-cache.js';
import type { RegistryResponse, SendInit, Transport } from './transport.js';

type AuthMode = { kind: 'anonymous' } | { kind: 'basic'; header: string } | ({ kind: 'bearer' } & BearerRealm);

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
    const mode = await this.authMode(init.signal);
    const send = async (): Promise<RegistryResponse> => {
      const auth = await this.authHeader(mode, repository, init.signal);
      return this.transport.send(this.endpoint.name, `${this.endpoint.baseUrl}${path}`, {
        ...init,
        headers: { ...init.headers, ...auth },
      });
    };
    let res = await send();
    if (res.status === 401 && mode.kind === 'bearer') {
      // The cached token may have been revoked early: one fresh token, then give up.
      this.tokens.drop(this.tokenKey(mode, repository, await this.creds()));
      res = await send();
    }
    if (res.status === 401 || res.status === 403) throw await this.denied(res, repository);
    return res;
  }

  private fail(message: string, status?: number): RegistryError {
    return new RegistryError(this.endpoint.name, message, status);
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
    const get = (headers: Record<string, string>): Promise<RegistryResponse> =>
      this.transport.send(this.endpoint.name, url, { method: 'GET', headers, ...(signal ? { signal } : {}) });
    const res = await get({});
    if (res.status === 200) return { kind: 'anonymous' };
    if (res.status !== 401) {
      throw this.fail(`GET /v2/ answered ${res.status}; is ${this.endpoint.baseUrl} a registry?`, res.status);
    }
    const header = res.headers.get('www-authenticate');
    const challenge = parseChallenge(header);
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      return { kind: 'bearer', realm: challenge.params.realm, service: challenge.params.service ?? '' };
    }
    if (challenge?.scheme !== 'basic') throw this.fail(`unsupported authentication "${header ?? 'none'}"`, 401);
    const creds = await this.creds();
    if (creds?.kind !== 'basic') {
      throw this.fail('requires credentials (basic auth): set the registry username/password or run docker login', 401);
    }
    const authorization = basicAuth(creds);
    const check = await get({ authorization });
    if (check.status !== 200) {
      throw this.fail(`authentication failed for ${who(creds, '')} (${check.status})`, check.status);
    }
    return { kind: 'basic', header: authorization };
  }

  private async authHeader(mode: AuthMode, repository: string, signal?: AbortSignal): Promise<Record<string, string>> {
    if (mode.kind === 'anonymous') return {};
    if (mode.kind === 'basic') return { authorization: mode.header };
    const creds = await this.creds();
    const scope = `repository:${repository}:pull`;
    const token = await this.tokens.get(this.tokenKey(mode, repository, creds), () =>
      fetchToken(this.transport, this.endpoint.name, mode, scope, creds, signal),
    );
    return { authorization: `Bearer ${token}` };
  }

  private tokenKey(mode: BearerRealm, repository: string, creds: Credentials | null): string {
    return `${mode.realm}|${mode.service}|repository:${repository}:pull|${who(creds, '')}`;
  }

  private async denied(res: RegistryResponse, repository: string): Promise<RegistryError> {
    const creds = await this.creds().catch(() => null);
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (challenge?.params.error === 'insufficient_scope' || res.status === 403) {
      const msg = `access to ${repository} denied (${res.status}): it does not exist or may not be pulled with these credentials`;
      return this.fail(msg, res.status);
    }
    const msg = `authentication failed for ${repository} with ${who(creds, 'no credentials')} (${res.status})`;
    return this.fail(msg, res.status);
  }
}
