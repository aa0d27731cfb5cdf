import { journalFile } from '../cluster/state-dir.js';
import type { Config } from '../config/types.js';
import { InputError } from '../errors.js';
import { fileJournal, unfinishedRun } from '../rollout/journal.js';
import type { GlobalOptions } from './globals.js';
import { runRolloutCommand, type RolloutFlags } from './rollout-command.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as RolloutFlags & { to?: string; resume: boolean };
  if (!f.to && !f.resume) throw new InputError('upgrade needs --to VERSION (or --resume)', { key: 'to' });
  return runRolloutCommand(g, 'upgrade', (config) => (f.resume ? resumedTarget(config, f.to) : f.to!), f);
}

/** `--resume` means "continue": with nothing to continue, or a run to another version, a fresh run is not what was asked. */
async function resumedTarget(config: Config, to: string | undefined): Promise<string> {
  const file = journalFile(config);
  const open = unfinishedRun(await fileJournal(file).read());
  if (!open || open.mode !== 'upgrade') {
    throw new InputError(`--resume: nothing to resume, the journal ${file} has no unfinished upgrade${to ? ` (drop --resume to start one to ${to})` : ''}`, { key: 'resume', file });
  }
  if (to && open.to !== to) {
    throw new InputError(`--resume: the unfinished upgrade in ${file} goes to ${open.to}, not ${to}`, { key: 'resume', file });
  }
  return open.to;
}
