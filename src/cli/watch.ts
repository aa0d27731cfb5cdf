import { loadConfig } from '../config/load.js';
import { checkCluster } from '../cluster/check-cluster.js';
import { ExitCode, InputError } from '../errors.js';
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

interface WatchFlags extends CheckFlags {
  cron?: string;
  notify: string[];
  state: string;
  once: boolean;
  metrics?: string;
}

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as WatchFlags;
  const { choice, policy } = policyOf(f);
  if (f.once && f.metrics !== undefined) {
    throw new InputError('--metrics needs a long-running watch (--cron): --once exits before anything could scrape it', { key: 'metrics' });
  }
  const listenAt = f.metrics === undefined ? null : parseMetricsAddress(f.metrics);
  const config = loadConfig(g);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const metrics = listenAt ? new WatchMetrics(() => withConnection(config.mysql, (c) => readHistory(c, config.project, 20), { values: 'native' }), log) : null;
  // One client for the whole life of the watcher keeps the auth probe and tokens cached between runs.
  const client = createRegistryClient(config, metrics ? { onRequest: metrics.observeRequest } : {});
  const server = metrics && listenAt ? await startMetricsServer(metrics, listenAt) : null;
  if (server) log(`metrics on ${server.url}/metrics, health on ${server.url}/healthz`);
  // SIGTERM/SIGINT stop the schedule after the check in flight (exit 0); without this the CLI's handler exits 130 at once.
  stopGracefully();
  try {
    const summary = await runWatch({
      ...(f.cron ? { cron: f.cron } : {}),
      once: f.once,
      signal: interruption,
      notifiers: f.notify.map((spec) => createNotifier(spec)),
      stateFile: f.state,
      log,
      checkOnce: async (signal) => (await checkCluster(config, client, choice, policy, signal)).report,
      ...(metrics ? { onCycle: metrics.recordCycle } : {}),
    });
    if (g.json) setJsonResult({ cycles: summary.cycles, last: summary.last ? { ...summary.last, cause: undefined } : null });
    return ExitCode.ok;
  } finally {
    await server?.close();
  }
}
