/**
 * Bearer tokens keyed by realm, service, scope and identity; kept until shortly before they expire. Concurrent
 * requests for the same key share one fetch, so N parallel lookups cost one token request, not N.
 */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly marginMs = 10_000,
  ) {}

  async get(key: string, fetchToken: () => Promise<{ token: string; expiresInMs: number }>): Promise<string> {
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.token;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = fetchToken()
      .then(({ token, expiresInMs }) => {
        // A token living less than the margin is still used once rather than refetched forever.
        this.tokens.set(key, { token, expiresAt: this.now() + Math.max(expiresInMs - this.marginMs, 0) });
        return token;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  drop(key: string): void {
    this.tokens.delete(key);
  }
}
