import { loadConfig } from '../config/load.js';
import { describeVersion } from '../cluster/inner-versions.js';
import { clusterStatus, type StatusReport } from '../cluster/status.js';
import { ExitCode } from '../errors.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

export async function run(_args: unknown[], g: GlobalOptions): Promise<number> {
  const config = loadConfig(g);
  const report = await clusterStatus(config);
  if (g.json) setJsonResult(report);
  else printLines(render(report));
  return report.healthy ? ExitCode.ok : ExitCode.failed;
}

function render(r: StatusReport): string[] {
  const rows = r.hosts.map((h) => [
    h.name,
    h.role,
    h.version ? describeVersion(h.version, h) : '-',
    h.state,
    h.heartbeatAgeSeconds === null ? '-' : `${h.heartbeatAgeSeconds}s`,
    h.healthy ? 'healthy' : `UNHEALTHY: ${h.problem ?? ''}`,
    h.container ? `${h.container} (${h.origin === 'tars-docker' ? 'tars-docker' : h.origin === 'compose' ? 'compose' : 'by hand'})` : '-',
    h.image ?? '-',
    h.endpoint,
  ]);
  const header = ['HOST', 'ROLE', 'VERSION', 'STATE', 'HEARTBEAT', 'VERDICT', 'CONTAINER', 'IMAGE', 'ENDPOINT'];
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [fmt(header), ...rows.map(fmt)];
  if (!r.mysql.reachable) lines.push(`MySQL unreachable: ${r.mysql.error ?? ''}`);
  lines.push(r.healthy ? 'cluster healthy' : 'cluster UNHEALTHY');
  return lines;
}
