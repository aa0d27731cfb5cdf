import { RegistryError } from './errors.js';
import { parseRateLimit, parseRetryAfter, type RateLimit } from './headers.js';

export interface RetryOptions {
  /** Total attempts including the first (bounded so a broken registry fails in bounded time). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the check fails now and says when to come back. */
  maxRetryAfterMs: number;
}

/** One HTTP exchange with a registry or its token server, as seen by an observer (metrics). */
export interface RequestOutcome {
  registry: string;
  /** HTTP status, or null when no answer came (refused, timeout, TLS). */
  status: number | null;
  rateLimit: RateLimit | null;
}

export interface TransportOptions {
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  log?: (line: string) => void;
  onRequest?: (outcome: RequestOutcome) => void;
}

export interface RequestStats {
  requests: number;
  /** Requests per registry name, token servers included under the registry they authenticate for. */
  byRegistry: Record<string, number>;
  tokenRequests: number;
  retries: number;
  rateLimit: RateLimit | null;
}

export interface RegistryResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  url: string;
}

export interface SendInit {
  method: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  token?: boolean;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

function retryable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** HTTP with a per-attempt timeout, bounded retries of 429/5xx, request counting and rate-limit capture. */
export class Transport {
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly stats: RequestStats = emptyStats();
  private readonly log: (line: string) => void;
  private readonly onRequest: (outcome: RequestOutcome) => void;

  constructor(opts: TransportOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.log = opts.log ?? (() => {});
    this.onRequest = opts.onRequest ?? (() => {});
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  async send(registry: string, url: string, init: SendInit): Promise<RegistryResponse> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.once(registry, url, init);
      if (!retryable(res.status)) return res;
      const what = `${init.method} ${new URL(url).pathname} answered ${res.status}`;
      const hinted = parseRetryAfter(res.headers.get('retry-after'));
      if (hinted !== null && hinted > this.retry.maxRetryAfterMs) {
        throw new RegistryError(registry, `${what}; it asks to retry after ${Math.ceil(hinted / 1000)} s`, res.status);
      }
      if (attempt >= this.retry.attempts) {
        throw new RegistryError(registry, `${what} ${attempt} times in a row; giving up`, res.status);
      }
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      const delay = hinted ?? Math.round(backoff * (0.5 + Math.random() / 2));
      this.stats.retries++;
      this.log(`registry ${registry}: ${what}, retrying in ${delay} ms`);
      await sleep(delay, init.signal);
    }
  }

  private async once(registry: string, url: string, init: SendInit): Promise<RegistryResponse> {
    this.stats.requests++;
    this.stats.byRegistry[registry] = (this.stats.byRegistry[registry] ?? 0) + 1;
    if (init.token) this.stats.tokenRequests++;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const res = await fetch(url, {
        method: init.method,
        headers: init.headers ?? {},
        ...(init.body !== undefined ? { body: init.body } : {}),
        redirect: 'follow',
        signal,
      });
      const body = init.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await res.arrayBuffer());
      const rate = parseRateLimit(registry, res.headers);
      if (rate) this.stats.rateLimit = rate;
      this.onRequest({ registry, status: res.status, rateLimit: rate });
      return { status: res.status, headers: res.headers, body, url: res.url || url };
    } catch (err) {
      if (init.signal?.aborted) throw err;
      this.onRequest({ registry, status: null, rateLimit: null });
      throw new RegistryError(registry, describeNetworkError(err, url, this.timeoutMs), undefined, { cause: err });
    }
  }
}

function emptyStats(): RequestStats {
  return { requests: 0, byRegistry: {}, tokenRequests: 0, retries: 0, rateLimit: null };
}

function describeNetworkError(err: unknown, url: string, timeoutMs: number): string {
  const where = new URL(url).origin;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `unreachable: no answer from ${where} within ${timeoutMs / 1000} s`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code ?? '';
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection closed',
    UND_ERR_HEADERS_TIMEOUT: `no answer within ${timeoutMs / 1000} s`,
  };
  if (known[code]) return `unreachable: ${known[code]} (${where})`;
  const text = cause?.message ?? (err instanceof Error ? err.message : String(err));
  if (/wrong version number|EPROTO|ssl/i.test(`${code} ${text}`)) {
    return `TLS handshake with ${where} failed (${text}); if this registry speaks plain HTTP, list it as insecure`;
  }
  return `unreachable: ${text} (${where})`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
