import { InputError } from '../errors.js';
import { withConnection } from '../db/connection.js';
import { readHistory, rollbackTarget } from '../rollout/history.js';
import type { GlobalOptions } from './globals.js';
import { runRolloutCommand, type RolloutFlags } from './rollout-command.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as RolloutFlags & { to?: string };
  return runRolloutCommand(g, 'rollback', async (config) => {
    if (f.to) return f.to;
    // Without --to: back to where the last successful upgrade started.
    const rows = await withConnection(config.mysql, (c) => readHistory(c, config.project), { values: 'native' });
    const target = rollbackTarget(rows);
    if (!target) throw new InputError('no successful upgrade in the history to roll back; give --to VERSION');
    return target;
  }, f);
}
