import { settleAll } from './settle-all.js';

/**
 * Progress-neutral unit of work: use cases return steps, the CLI decides how they are shown (listr2 for people,
 * nothing for --json). A step's children run after its own `run`, one by one or all at once.
 */
export interface Step {
  title: string;
  run?: (progress: (detail: string) => void) => Promise<void>;
  children?: () => Step[];
  /** Concurrent children all run to their end (a pull must not cut the others off); the first error is then thrown. */
  concurrent?: boolean;
}

/** Runs steps without any rendering (used by --json and by library callers). */
export async function runSteps(steps: Step[], concurrent = false): Promise<void> {
  const one = async (s: Step) => {
    await s.run?.(() => {});
    if (s.children) await runSteps(s.children(), s.concurrent);
  };
  if (!concurrent) {
    for (const s of steps) await one(s);
    return;
  }
  await settleAll(steps.map(one));
}
