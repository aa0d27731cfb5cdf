import type { Role } from '../config/types.js';
import type { FindingSource, ServiceKind } from './types.js';

/** The framework's shell tests `"$REBUILD" == "true"`; the guard lets only false and empty through. */
export function rebuildIsSafe(value: string | undefined): boolean {
  return value === undefined || value === '' || value === 'false';
}

const LOOPBACK = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', '::1', '0.0.0.0', 'lo']);

/** INET=lo and DOMAIN=localhost both end with servers bound to 127.0.0.1, which the framework refuses. */
export function isLoopback(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v === '' || LOOPBACK.has(v) || /^127\./.test(v);
}

export function kindOfRole(role: Role | undefined): ServiceKind {
  if (role === 'node') return 'node';
  return role ? 'framework' : 'other';
}

export function splitEnv(pairs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf('=');
    out.set(eq < 0 ? p : p.slice(0, eq), eq < 0 ? '' : p.slice(eq + 1));
  }
  return out;
}

export function sourceKey(s: FindingSource): string {
  return [s.kind, s.file ?? '', s.line ?? '', s.host ?? '', s.container ?? ''].join('|');
}

/** Short form for use inside a message; the full location is in the finding's source. */
export function where(s: FindingSource): string {
  switch (s.kind) {
    case 'shell':
      return 'the shell environment';
    case 'container':
      return `container ${s.container ?? '?'} on ${s.host ?? '?'}`;
    default: {
      const base = (s.file ?? '?').split(/[\\/]/).pop();
      return s.line ? `${base}:${s.line}` : `${base}`;
    }
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
