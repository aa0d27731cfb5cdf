import { loadConfig } from '../config/load.js';
import { checkCluster } from '../cluster/check-cluster.js';
import { ExitCode } from '../errors.js';
import { createRegistryClient } from '../registry/index.js';
import { createNotifier, runWatch } from '../watch/index.js';
import type { GlobalOptions } from './main.js';
import { policyOf, type CheckFlags } from './check.js';
import { interruption, stopGracefully } from './interrupt.js';
import { setJsonResult } from './output.js';

interface WatchFlags extends CheckFlags {
  cron?: string;
  notify: string[];
  state: string;
  once: boolean;
}

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as WatchFlags;
  const { choice, policy } = policyOf(f);
  const config = loadConfig(g);
  // One client for the whole life of the watcher keeps the auth probe and tokens cached between runs.
  const client = createRegistryClient(config);
  // SIGTERM (systemctl stop) ends the schedule after the check in flight and exits 0; without this the CLI's
  // signal handler would exit 130 at once and systemd would count every stop as a failure.
  stopGracefully();
  const summary = await runWatch({
    ...(f.cron ? { cron: f.cron } : {}),
    once: f.once,
    signal: interruption,
    notifiers: f.notify.map((spec) => createNotifier(spec)),
    stateFile: f.state,
    log: (line) => process.stderr.write(`${line}\n`),
    checkOnce: async (signal) => (await checkCluster(config, client, choice, policy, signal)).report,
  });
  if (g.json) setJsonResult({ cycles: summary.cycles, last: summary.last ? { ...summary.last, cause: undefined } : null });
  return ExitCode.ok;
}
