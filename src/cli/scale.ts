import { loadConfig } from '../config/load.js';
import { addHostSteps, removeHostSteps, type AddHostResult } from '../cluster/scale.js';
import { openSession } from '../cluster/session.js';
import { ExitCode, InputError } from '../errors.js';
import { confirm } from './confirm.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';
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
  const result: Partial<AddHostResult> = {};
  try {
    const steps = addHostSteps(session, {
      endpoint: String(endpoint), role: f.role,
      ...(f.name ? { name: f.name } : {}), ...(f.address ? { address: f.address } : {}),
      ...(tlsParts ? { tls: { ca: f.tlsCa!, cert: f.tlsCert!, key: f.tlsKey! } } : {}),
      ...(f.identityFile ? { identityFile: f.identityFile } : {}),
      healthTimeoutMs: f.healthTimeout,
    }, result, f.dryRun);
    if (!f.dryRun) await confirm(`add ${String(endpoint)} as a ${f.role}?`, g.yes);
    await showSteps(steps, g.json);
  } finally {
    await session.close();
  }
  if (g.json) setJsonResult({ dryRun: f.dryRun, ...result });
  else if (f.dryRun) printLines([`would add ${result.name} (${result.address}) as ${result.role} running ${result.image}`, ...hostKeyLine(result), ...(result.checks ?? []).map((c) => `  ${c}`)]);
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
  const result: { removed?: string; container?: string } = {};
  try {
    const steps = removeHostSteps(session, String(name), result);
    if (dryRun) {
      if (g.json) setJsonResult({ dryRun: true, steps: steps.map((s) => s.title) });
      else printLines(steps.map((s) => `would: ${s.title}`));
      return ExitCode.ok;
    }
    await confirm(`remove ${String(name)} from the cluster?`, g.yes);
    await showSteps(steps, g.json);
  } finally {
    await session.close();
  }
  if (g.json) setJsonResult(result);
  else printLines([`${result.removed} removed${result.container ? ` (container ${result.container} gone)` : ''}`]);
  return ExitCode.ok;
}
