import { loadConfig } from '../config/load.js';
import { checkCluster } from '../cluster/check-cluster.js';
import { ExitCode, InputError, TarsDockerError } from '../errors.js';
import { withConnection } from '../db/connection.js';
import { createRegistryClient } from '../config/registry-client.js';
import { readHistory } from '../rollout/history.js';
import { createNotifier, runWatch } from '../watch/index.js';
import { WatchMetrics } from '../watch/metrics.js';
import { parseMetricsAddress, startMetricsServer } from '../watch/metrics-server.js';
import type { GlobalOptions } from './globals.js';
import { policyOf, type CheckFlags } from './check.js';
import { interruption, stopGracefully } from './interrupt.js';
import { setJsonResult } from './output.js';
import type { CheckReport } from '../versions/check-report.js';
import { watchClock } from '../watch/clock.js';
import { parseUpgradePolicy, type UpgradePolicy } from '../watch/unattended.js';
import { unattendedUpgrade, type UnattendedResult } from '../watch/unattended-run.js';
import { parseWindow, type MaintenanceWindow } from '../watch/window.js';

interface WatchFlags extends CheckFlags {
  cron?: string;
  notify: string[];
  state: string;
  once: boolean;
  metrics?: string;
  upgrade?: string;
  window: string[];
}

/** `--upgrade` and `--window` come together: an unattended upgrade never runs outside a window. */
function unattendedFlags(f: WatchFlags): { policy: UpgradePolicy; windows: MaintenanceWindow[] } | null {
  if (f.upgrade === undefined && f.window.length === 0) return null;
  if (f.upgrade === undefined) throw new InputError('--window needs --upgrade patch|minor: a window says when to upgrade', { key: 'window' });
  if (f.window.length === 0) throw new InputError('--upgrade needs --window (e.g. --window \'Sat 02:00+2h Europe/Berlin\'): unattended upgrades run only inside one', { key: 'upgrade' });
  return { policy: parseUpgradePolicy(f.upgrade), windows: f.window.map(parseWindow) };
}

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as WatchFlags;
  const { choice, policy } = policyOf(f);
  if (f.once && f.metrics !== undefined) {
    throw new InputError('--metrics needs a long-running watch (--cron): --once exits before anything could scrape it', { key: 'metrics' });
  }
  const listenAt = f.metrics === undefined ? null : parseMetricsAddress(f.metrics);
  const unattended = unattendedFlags(f);
  const now = watchClock();
  const config = loadConfig(g);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const metrics = listenAt ? new WatchMetrics(() => withConnection(config.mysql, (c) => readHistory(c, config.project, 20), { values: 'native' }), log) : null;
  // One client for the whole life of the watcher keeps the auth probe and tokens cached between runs.
  const client = createRegistryClient(config, metrics ? { onRequest: metrics.observeRequest } : {});
  const server = metrics && listenAt ? await startMetricsServer(metrics, listenAt) : null;
  if (server) log(`metrics on ${server.url}/metrics, health on ${server.url}/healthz`);
  // SIGTERM/SIGINT stop the schedule after the check in flight (exit 0); without this the CLI's handler exits 130 at once.
  stopGracefully();
  const notifiers = f.notify.map((spec) => createNotifier(spec));
  const upgrades: UnattendedResult[] = [];
  const afterCheck = unattended
    ? async (report: CheckReport) => {
      upgrades.push(await unattendedUpgrade({ config, client, ...unattended, versions: policy, now, notifiers, log, signal: interruption }, report));
      // a watcher runs for months: --json reports the recent decisions, not every one since it started
      upgrades.splice(0, Math.max(0, upgrades.length - 50));
    }
    : undefined;
  try {
    const summary = await runWatch({
      ...(f.cron ? { cron: f.cron } : {}),
      once: f.once,
      signal: interruption,
      notifiers,
      stateFile: f.state,
      log,
      checkOnce: async (signal) => (await checkCluster(config, client, choice, policy, signal)).report,
      ...(metrics ? { onCycle: metrics.recordCycle } : {}),
      ...(afterCheck ? { afterCheck } : {}),
    });
    if (g.json) setJsonResult({ cycles: summary.cycles, last: summary.last ? { ...summary.last, cause: undefined } : null, ...(unattended ? { upgrades } : {}) });
    // --once is what cron and systemd timers run: an upgrade it started and that did not succeed is its failure.
    const failed = upgrades.find((u) => u.run && u.run.outcome !== 'succeeded');
    if (f.once && failed) throw new TarsDockerError(`unattended upgrade to ${failed.decision.to} ${failed.run!.outcome}: ${failed.run!.error ?? ''}`.trim(), ExitCode.failed);
    return ExitCode.ok;
  } finally {
    await server?.close();
  }
}
