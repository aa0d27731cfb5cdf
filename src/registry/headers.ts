/** Parsers for the few response headers the distribution protocol relies on. All pure. */

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"`.
 * Quoted values may contain commas (scopes do), so this is a small tokenizer rather than a split.
 */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/gy;
  const rest = m[2] ?? '';
  let p: RegExpExecArray | null;
  while ((p = re.exec(rest)) !== null && p[0].length > 0) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: m[1]!.toLowerCase(), params };
}

/** Target of `Link: <...>; rel="next"`, resolved against the URL that returned it. */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*(.*)$/.exec(part.trim());
    if (m && /(?:^|;)\s*rel\s*=\s*"?next"?/i.test(m[2] ?? '')) return new URL(m[1]!, base).toString();
  }
  return null;
}

/** Milliseconds to wait from `Retry-After` (delta seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface RateLimit {
  registry: string;
  limit?: number;
  remaining?: number;
  /** Window in seconds, from the `;w=` part Docker Hub sends. */
  windowSeconds?: number;
  /** Docker Hub's `docker-ratelimit-source`: the IP or account being counted. */
  source?: string;
}

/** Docker Hub style `ratelimit-limit: 100;w=21600` / `ratelimit-remaining: 76;w=21600`, and `x-` variants. */
export function parseRateLimit(registry: string, headers: Headers): RateLimit | null {
  const limit = headers.get('ratelimit-limit') ?? headers.get('x-ratelimit-limit');
  const remaining = headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining');
  if (limit === null && remaining === null) return null;
  const out: RateLimit = { registry };
  const read = (v: string | null): { n?: number; w?: number } => {
    if (v === null) return {};
    const n = Number.parseInt(v, 10);
    const w = /;\s*w=(\d+)/.exec(v);
    return { ...(Number.isNaN(n) ? {} : { n }), ...(w ? { w: Number(w[1]) } : {}) };
  };
  const l = read(limit);
  const r = read(remaining);
  if (l.n !== undefined) out.limit = l.n;
  if (r.n !== undefined) out.remaining = r.n;
  const w = l.w ?? r.w;
  if (w !== undefined) out.windowSeconds = w;
  const source = headers.get('docker-ratelimit-source');
  if (source) out.source = source;
  return out;
}
