import { loadConfig } from '../config/load.js';
import type { AddHostResult } from '../cluster/scale.js';
import { openSession } from '../cluster/session.js';
import { journalFile } from '../cluster/state-dir.js';
import { planJson, renderPlan, stepTitle } from '../rollout/plan-render.js';
import { addHost, removeHost } from '../rollout/scale-run.js';
import { ExitCode, InputError } from '../errors.js';
import { confirm } from './confirm.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';
import { planView } from './run-view.js';
import { showSteps } from './tasks.js';

interface AddFlags {
  role: string;
  name?: string;
  address?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  identityFile?: string;
  /** Milliseconds, already bounded by the flag's parser. */
  healthTimeout: number;
  dryRun: boolean;
}

export async function runAdd([endpoint, opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as AddFlags;
  if (f.role !== 'slave' && f.role !== 'node') throw new InputError(`--role must be slave or node (got "${f.role}")`);
  const tlsParts = [f.tlsCa, f.tlsCert, f.tlsKey].filter(Boolean).length;
  if (tlsParts !== 0 && tlsParts !== 3) throw new InputError('--tls-ca, --tls-cert and --tls-key go together');
  const config = loadConfig(g);
  const session = await openSession(config);
  let done: Awaited<ReturnType<typeof addHost>>;
  try {
    done = await addHost(session, {
      endpoint: String(endpoint), role: f.role,
      ...(f.name ? { name: f.name } : {}), ...(f.address ? { address: f.address } : {}),
      ...(tlsParts ? { tls: { ca: f.tlsCa!, cert: f.tlsCert!, key: f.tlsKey! } } : {}),
      ...(f.identityFile ? { identityFile: f.identityFile } : {}),
      healthTimeoutMs: f.healthTimeout,
    }, {
      show: (steps) => showSteps(steps, g.json), view: planView(g.json), journalFile: journalFile(config), dryRun: f.dryRun,
      confirm: () => confirm(`add ${String(endpoint)} as a ${f.role}?`, g.yes),
    });
  } finally {
    await session.close();
  }
  const { result, plan } = done;
  if (g.json) setJsonResult({ dryRun: f.dryRun, ...result, plan: planJson(plan) });
  else if (f.dryRun) printLines([`would add ${result.name} (${result.address}) as ${result.role} running ${result.image}`, ...hostKeyLine(result), ...(result.checks ?? []).map((c) => `  ${c}`), ...renderPlan(plan)]);
  else printLines([`${result.name} joined as ${result.role} in ${result.secondsToJoin?.toFixed(1)}s (${result.image})`, ...hostKeyLine(result)]);
  return ExitCode.ok;
}

/** The key an ssh host was accepted with, so the operator can compare it with the one the host shows. */
function hostKeyLine(result: Partial<AddHostResult>): string[] {
  const k = result.hostKey;
  if (!k) return [];
  return [`  host key ${k.type} ${k.fingerprint} (${k.recordedIn ? `new, recorded in ${k.recordedIn}` : 'known'})`];
}

export async function runRemove([name, opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { dryRun } = opts as { dryRun: boolean };
  const config = loadConfig(g);
  const session = await openSession(config);
  let done: Awaited<ReturnType<typeof removeHost>>;
  try {
    done = await removeHost(session, String(name), {
      show: (steps) => showSteps(steps, g.json), view: planView(g.json), journalFile: journalFile(config), dryRun,
      confirm: () => confirm(`remove ${String(name)} from the cluster?`, g.yes),
    });
  } finally {
    await session.close();
  }
  const { plan, result } = done;
  if (dryRun) {
    // `steps`, one title per step, as scripts have read it; the plan itself beside it
    if (g.json) setJsonResult({ dryRun: true, steps: plan.steps.map(stepTitle), plan: planJson(plan) });
    else printLines(renderPlan(plan));
    return ExitCode.ok;
  }
  if (g.json) setJsonResult(result);
  else printLines([`${result.removed} removed${result.container ? ` (container ${result.container} gone)` : ''}`]);
  return ExitCode.ok;
}
