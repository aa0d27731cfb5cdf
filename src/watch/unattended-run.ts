import { defaultBackupDir, journalFile } from '../cluster/state-dir.js';
import { openSession } from '../cluster/session.js';
import type { Config } from '../config/types.js';
import { InterruptedError, errorMessage } from '../errors.js';
import { withConnection } from '../db/connection.js';
import { redact } from '../redact.js';
import type { RegistryClient } from '../registry/index.js';
import { readHistory, type HistoryRow } from '../rollout/history.js';
import { prepareRollout } from '../rollout/rollout.js';
import { runPreparedRollout } from '../rollout/run-prepared.js';
import { UNSHOWN } from '../rollout/run-plan.js';
import type { CheckReport } from '../versions/check-report.js';
import type { VersionPolicy } from '../versions/policy.js';
import type { Message } from './announce.js';
import { logNotifier, type Notifier } from './notifiers.js';
import { decideUnattended, type UnattendedDecision, type UpgradePolicy } from './unattended.js';
import type { MaintenanceWindow } from './window.js';

export interface UnattendedOptions {
  config: Config;
  client: RegistryClient;
  policy: UpgradePolicy;
  versions: VersionPolicy;
  windows: MaintenanceWindow[];
  now: () => Date;
  notifiers: Notifier[];
  log: (line: string) => void;
  /** Stops the upgrade between two steps, as SIGTERM stops `upgrade`. */
  signal?: AbortSignal;
  healthTimeoutMs?: number;
}

export interface UnattendedResult {
  decision: UnattendedDecision;
  /** Set when an upgrade was started: what history recorded. */
  run?: { runId: string; outcome: string; seconds: number; error?: string };
}

/** How long the newest successful upgrade took: the estimate a window must hold. */
export function lastRunSeconds(rows: HistoryRow[]): number | null {
  const last = rows.find((r) => r.kind === 'upgrade' && r.outcome === 'succeeded' && r.finished);
  return last ? (last.finished!.getTime() - last.started.getTime()) / 1000 : null;
}

/**
 * After a check: decide whether a window is open for a version the policy allows, and if so run the very
 * `upgrade` an operator runs (lock, backup, health gates, rollback, prune), silently, then notify its outcome.
 */
export async function unattendedUpgrade(o: UnattendedOptions, report: CheckReport): Promise<UnattendedResult> {
  const log = (line: string) => o.log(redact(line));
  const master = report.hosts.find((h) => h.role === 'master');
  const [tags, history] = await Promise.all([
    o.client.listTags(o.config.images.framework, o.signal),
    withConnection(o.config.mysql, (c) => readHistory(c, o.config.project, 20), { values: 'native' }),
  ]);
  const decision = decideUnattended({
    now: o.now(), windows: o.windows, policy: o.policy, versions: o.versions, current: master?.running ?? null, tags, lastRunSeconds: lastRunSeconds(history),
  });
  log(`unattended upgrade: ${decision.start ? `starting ${decision.from} -> ${decision.to}, ` : ''}${decision.reason}`);
  if (!decision.start) return { decision };

  const started = Date.now();
  const session = await openSession(o.config);
  let runId = '';
  try {
    const prepared = await prepareRollout(session, o.client, {
      mode: 'upgrade', to: decision.to, batch: 1, allowDowngrade: false, healthTimeoutMs: o.healthTimeoutMs ?? 180_000,
      journalFile: journalFile(o.config), backupDir: defaultBackupDir(o.config),
    });
    runId = prepared.runId;
    const { summary, pruned } = await runPreparedRollout(o.config, session, prepared, { view: UNSHOWN, ...(o.signal ? { stop: o.signal } : {}), prune: true });
    for (const h of pruned?.hosts.filter((x) => x.error) ?? []) log(`unattended upgrade succeeded; removing old images failed on ${h.host}: ${h.error}`);
    const run = { runId, outcome: 'succeeded', seconds: summary.seconds };
    await announce(o, report, decision, run, log);
    return { decision, run };
  } catch (err) {
    const error = redact(errorMessage(err));
    const recorded = runId ? (await readHistory(session.mysql, o.config.project, 20).catch(() => [])).find((r) => r.runId === runId)?.outcome : undefined;
    const outcome = err instanceof InterruptedError ? 'interrupted' : (recorded ?? 'failed');
    const run = { runId, outcome, seconds: (Date.now() - started) / 1000, error };
    log(`unattended upgrade to ${decision.to} ${outcome}: ${error}`);
    await announce(o, report, decision, run, log);
    return { decision, run };
  } finally {
    await session.close();
  }
}

async function announce(o: UnattendedOptions, report: CheckReport, d: UnattendedDecision, run: NonNullable<UnattendedResult['run']>, log: (l: string) => void): Promise<void> {
  const title = `tars-docker: unattended upgrade to ${d.to} ${run.outcome}`;
  const lines = [
    `upgrade ${d.from} -> ${d.to} ${run.outcome} after ${run.seconds.toFixed(0)} s (run ${run.runId || 'not started'}; ${d.reason})`,
    ...(run.error ? [run.error] : []),
  ];
  const message: Message = { title, lines, text: [title, ...lines.map((l) => `- ${l}`)].join('\n'), facts: [] };
  for (const n of o.notifiers.length > 0 ? o.notifiers : [logNotifier(log)]) {
    await n.send(message, report, o.signal).catch((err: unknown) => log(`notifier ${redact(errorMessage(err))}: the upgrade's outcome was not delivered`));
  }
}
