import { loadConfig } from '../config/load.js';
import { enforceGuard } from '../cluster/guard-cluster.js';
import { openSession } from '../cluster/session.js';
import { journalFile } from '../cluster/state-dir.js';
import { ExitCode, InputError } from '../errors.js';
import { installCluster } from '../rollout/install-run.js';
import { planJson, renderPlan } from '../rollout/plan-render.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';
import { planView } from './run-view.js';
import { showSteps } from './tasks.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { version, dryRun } = opts as { version: string; dryRun?: boolean };
  if (!/^v?\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$/.test(version)) throw new InputError(`--version "${version}" is not a version like v3.0.14`);
  const config = loadConfig(g);
  const session = await openSession(config);
  let done: Awaited<ReturnType<typeof installCluster>>;
  try {
    await enforceGuard(config, [...session.hosts.values()]);
    done = await installCluster(session, version, { show: (steps) => showSteps(steps, g.json), view: planView(g.json), journalFile: journalFile(config), dryRun: Boolean(dryRun) });
  } finally {
    await session.close();
  }
  const { plan, result } = done;
  if (!result) {
    if (g.json) setJsonResult({ dryRun: true, plan: planJson(plan) });
    else printLines(renderPlan(plan));
  } else if (g.json) setJsonResult({ ...result, plan: planJson(plan) });
  else printLines([`installed ${version} on ${result.hosts.length} hosts`]);
  return ExitCode.ok;
}
