import { journalFile } from '../cluster/state-dir.js';
import { InputError } from '../errors.js';
import { fileJournal, unfinishedRun } from '../rollout/journal.js';
import type { GlobalOptions } from './main.js';
import { runRolloutCommand, type RolloutFlags } from './rollout-command.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as RolloutFlags & { to?: string; resume: boolean };
  if (!f.to && !f.resume) throw new InputError('upgrade needs --to VERSION (or --resume)');
  return runRolloutCommand(g, 'upgrade', async (config) => {
    if (f.to) return f.to;
    const file = journalFile(config);
    const open = unfinishedRun(await fileJournal(file).read());
    if (!open) throw new InputError(`nothing to resume: the journal ${file} has no unfinished run`);
    return open.to;
  }, f);
}
