import { loadConfig } from '../config/load.js';
import { pruneCluster, type PruneReport } from '../rollout/prune.js';
import { renderPrunePlan } from '../rollout/prune-plan.js';
import { ExitCode } from '../errors.js';
import type { GlobalOptions } from './globals.js';
import { printLines, setJsonResult } from './output.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as { keep: number; dryRun: boolean };
  const report = await pruneCluster(loadConfig(g), { keep: f.keep, dryRun: f.dryRun });
  if (g.json) setJsonResult(report);
  else printLines(renderPrune(report));
  return report.hosts.some((h) => h.error) ? ExitCode.failed : ExitCode.ok;
}

/** Shared with upgrade, which prunes after it succeeded. */
export function renderPrune(r: PruneReport, kept = true): string[] {
  return r.hosts.flatMap((h) => [
    ...(h.plan && !h.error ? renderPrunePlan(h.plan, { removed: !r.dryRun, kept }) : []),
    ...(h.error ? [`${h.error}${h.removed.length ? ` (after removing ${h.removed.length} image(s))` : ''}`] : []),
  ]);
}
