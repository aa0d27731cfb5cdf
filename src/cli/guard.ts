import { loadConfig } from '../config/load.js';
import { guardCluster } from '../cluster/guard-cluster.js';
import { ExitCode } from '../errors.js';
import { fixRebuild, formatFindings } from '../guard/index.js';
import { assertGuardClean } from '../guard/guard-error.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { fix, compose } = opts as { fix: boolean; compose: string[] };
  const config = loadConfig(g);
  const report = await guardCluster(config, { composeFiles: compose });
  const fixed = fix ? fixRebuild(report) : undefined;
  // After --fix the files are judged again, so the exit code tells what is still wrong.
  const final = fixed ? await guardCluster(config, { composeFiles: compose }) : report;
  if (g.json) {
    setJsonResult({ blocking: final.blocking, findings: final.findings, ...(fixed ? { fixed } : {}) });
  } else {
    printLines(report.findings.length ? formatFindings(report) : ['guard: no findings']);
    if (fixed) {
      printLines(fixed.changed.map((c) => `fixed ${c.file}:${c.line}: ${c.before.trim()} -> ${c.after.trim()}`));
      printLines(fixed.recreate.map((r) => `recreate needed: ${r.host} ${r.container} runs with REBUILD set (tars-docker upgrade or rollback recreates it with REBUILD=false)`));
    }
  }
  // The report above is the detail; the one line on stderr (exit 3) names the first blocking finding.
  assertGuardClean(final);
  return ExitCode.ok;
}
