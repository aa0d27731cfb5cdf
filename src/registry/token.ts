import { registerSecret } from '../redact.js';
import type { Credentials } from './credentials.js';
import { RegistryError } from './errors.js';
import type { SendInit, Transport } from './transport.js';

export interface BearerRealm {
  realm: string;
  service: string;
}

export function who(creds: Credentials | null, none: string): string {
  if (!creds) return none;
  return creds.kind === 'basic' ? `user "${creds.username}"` : 'the stored identity token';
}

export function basicAuth(creds: { username: string; password: string }): string {
  const encoded = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
  registerSecret(encoded);
  return `Basic ${encoded}`;
}

/**
 * The token request of the distribution auth spec: GET with optional basic credentials, or, for an identity
 * (refresh) token, the OAuth2 POST form. `registry` names the registry the token is for, in every error.
 */
export async function fetchToken(
  transport: Transport,
  registry: string,
  bearer: BearerRealm,
  scope: string,
  creds: Credentials | null,
  signal?: AbortSignal,
): Promise<{ token: string; expiresInMs: number }> {
  const url = new URL(bearer.realm);
  let init: SendInit;
  if (creds?.kind === 'identity') {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: creds.token,
      service: bearer.service,
      scope,
      client_id: 'tars-docker',
    });
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
  } else {
    if (bearer.service) url.searchParams.set('service', bearer.service);
    url.searchParams.set('scope', scope);
    init = { method: 'GET', headers: creds ? { authorization: basicAuth(creds) } : {} };
  }
  const res = await transport.send(registry, url.toString(), { ...init, token: true, ...(signal ? { signal } : {}) });
  const server = `token server ${url.host}`;
  if (res.status === 401 || res.status === 403) {
    const msg = `${server} refused ${who(creds, 'anonymous access')} (${res.status}): authentication failed`;
    throw new RegistryError(registry, msg, res.status);
  }
  if (res.status !== 200) throw new RegistryError(registry, `${server} answered ${res.status}`, res.status);
  let parsed: { token?: string; access_token?: string; expires_in?: number };
  try {
    parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
  } catch (err) {
    throw new RegistryError(registry, `${server} sent no JSON`, res.status, { cause: err });
  }
  const token = parsed.token ?? parsed.access_token;
  if (!token) throw new RegistryError(registry, `${server} sent no token`, res.status);
  registerSecret(token);
  // Lifetime counts from now rather than issued_at, so a skewed server clock cannot make every token stale;
  // the spec's default lifetime when expires_in is missing is 60 s.
  return { token, expiresInMs: (parsed.expires_in ?? 60) * 1000 };
}
