import { createInterface } from 'node:readline/promises';
import { InputError } from '../errors.js';

/**
 * Asks on a terminal; without one, only --yes lets a mutating command go on. The question goes to stderr, so
 * stdout stays the plan or the `--json` document even when a person answers.
 */
export async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new InputError(`${question.replace(/\?$/, '')}: refusing without --yes (not a terminal)`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new InputError('cancelled; nothing was changed');
  } finally {
    rl.close();
  }
}
