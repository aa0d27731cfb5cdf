import type { Setting } from '../settings.js';
import type { Finding } from '../types.js';
import { where } from '../values.js';

const KEYS = ['MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_USER'] as const;

/**
 * The cluster has one MySQL: a host pointed elsewhere registers into another db_tars. The `.env` in use is the
 * reference when it names the key; otherwise the value most sources agree on.
 */
export function checkMysql(settings: Setting[], envFile: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const key of KEYS) {
    const all = settings.filter((s) => s.key === key && s.feeds !== 'other');
    const ref = all.find((s) => s.source.kind === 'env-file' && s.source.file === envFile) ?? mostCommon(all);
    if (!ref) continue;
    for (const s of all) {
      if (s.value.trim() === ref.value.trim()) continue;
      out.push({
        id: 'mysql-mismatch',
        severity: 'blocking',
        message: `${key}=${JSON.stringify(s.value)} here but ${JSON.stringify(ref.value)} in ${where(ref.source)}: hosts would use different databases`,
        source: s.source,
        fix: `make ${key} the same everywhere (the .env value, or drop this one)`,
      });
    }
  }
  return out;
}

function mostCommon(all: Setting[]): Setting | undefined {
  const count = new Map<string, number>();
  for (const s of all) count.set(s.value.trim(), (count.get(s.value.trim()) ?? 0) + 1);
  let best: Setting | undefined;
  for (const s of all) if (!best || count.get(s.value.trim())! > count.get(best.value.trim())!) best = s;
  return best;
}
