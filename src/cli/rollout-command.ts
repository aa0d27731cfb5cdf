import { defaultBackupDir, journalFile } from '../cluster/state-dir.js';
import type { Config } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import { openSession } from '../cluster/session.js';
import { ExitCode } from '../errors.js';
import { createRegistryClient } from '../config/registry-client.js';
import { planJson, renderPlan } from '../rollout/plan-render.js';
import { describeMasterDbChanges } from '../rollout/master-db-changes.js';
import { prepareRollout, type RolloutOptions } from '../rollout/rollout.js';
import { runPreparedRollout } from '../rollout/run-prepared.js';
import { confirm } from './confirm.js';
import { interruption, stopGracefully } from './interrupt.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';
import { planView } from './run-view.js';
import { renderPrune } from './prune.js';

export interface RolloutFlags {
  batch: number;
  allowDowngrade?: boolean;
  /** Milliseconds, already bounded by the flag's parser. */
  healthTimeout: number;
  dryRun: boolean;
  backupDir?: string;
  /** Upgrade only (`--no-prune` makes it false): remove the Tars images no container and no rollback needs once it succeeded. */
  prune?: boolean;
}

/** Shared by upgrade and rollback: prepare (read-only), print the plan, confirm, run, summarise. */
export async function runRolloutCommand(g: GlobalOptions, mode: RolloutOptions['mode'], to: (config: Config) => Promise<string> | string, f: RolloutFlags): Promise<number> {
  const config = loadConfig(g);
  const options: RolloutOptions = {
    mode,
    to: await to(config),
    batch: f.batch,
    allowDowngrade: Boolean(f.allowDowngrade),
    healthTimeoutMs: f.healthTimeout,
    journalFile: journalFile(config),
    backupDir: f.backupDir ?? defaultBackupDir(config),
  };
  const session = await openSession(config);
  try {
    const prepared = await prepareRollout(session, createRegistryClient(config), options);
    const planLines = renderPlan(prepared.plan);
    if (f.dryRun || prepared.plan.steps.length === 0) {
      if (g.json) setJsonResult({ preflight: prepared.preflight, plan: planJson(prepared.plan), resumed: prepared.resumed });
      else printLines([...prepared.preflight.map((l) => `preflight ${l.check}: ${l.detail}`), ...planLines]);
      return ExitCode.ok;
    }
    if (!g.json) printLines([...planLines, ...(prepared.resumed ? [`resuming run ${prepared.runId}: ${prepared.done.size} steps already done`] : [])]);
    await confirm(`${mode} the cluster to ${options.to}?`, g.yes);
    stopGracefully();
    const { summary, pruned } = await runPreparedRollout(config, session, prepared, { view: planView(g.json), stop: interruption, prune: f.prune !== false });
    const outcomes = summary.hosts;
    if (g.json) setJsonResult({ preflight: prepared.preflight, plan: planJson(prepared.plan), result: summary, ...(pruned ? { prune: pruned } : {}) });
    else {
      printLines([
        `${mode} to ${options.to} done in ${summary.seconds.toFixed(1)}s`,
        ...outcomes.map((o) => `  ${o.name}: ${o.outcome}, down ${o.downtimeSeconds.toFixed(1)}s`),
        ...(summary.masterDb ? describeMasterDbChanges(summary.masterDb) : []),
      ]);
      if (pruned) printLines(renderPrune(pruned, false));
    }
    const pruneFailed = pruned?.hosts.filter((h) => h.error).length ?? 0;
    if (pruneFailed && !g.json) printLines([`the upgrade succeeded; removing old images failed on ${pruneFailed} host(s): run \`tars-docker prune\` again`]);
    return pruneFailed ? ExitCode.failed : ExitCode.ok;
  } finally {
    await session.close();
  }
}
