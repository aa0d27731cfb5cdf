import { loadConfig } from '../config/load.js';
import { withConnection } from '../db/connection.js';
import { readHistory } from '../rollout/history.js';
import { ExitCode } from '../errors.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

export async function run(_args: unknown[], g: GlobalOptions): Promise<number> {
  const config = loadConfig(g);
  const rows = await withConnection(config.mysql, (c) => readHistory(c, config.project), { values: 'native' });
  if (g.json) {
    setJsonResult({ history: rows });
    return ExitCode.ok;
  }
  if (rows.length === 0) printLines(['no upgrades or rollbacks recorded yet']);
  printLines(
    rows.map((r) => {
      const hosts = r.hosts.map((h) => `${h.name} ${h.outcome} ${h.downtimeSeconds.toFixed(1)}s`).join(', ');
      const when = r.started instanceof Date ? r.started.toISOString() : String(r.started);
      return `${when}  ${r.kind.padEnd(8)} ${r.from ?? '?'} -> ${r.to}  ${r.outcome.padEnd(11)} ${r.operator}${hosts ? `  [${hosts}]` : ''}${r.message ? `  ${r.message}` : ''}`;
    }),
  );
  return ExitCode.ok;
}
