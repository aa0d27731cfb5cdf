import { Listr, ListrLogger, type ListrTask } from 'listr2';
import { runSteps, type Step } from '../steps.js';
import { redact } from '../redact.js';

/** Shows steps as listr2 tasks for a person (plain lines when stdout is not a terminal); silent with --json. */
export async function showSteps(steps: Step[], json: boolean): Promise<void> {
  if (json) return runSteps(steps);
  await new Listr(steps.map((s) => toTask(s)), listrOptions()).run();
}

/** How every command's progress is drawn: listr2's own renderer on a terminal, plain lines otherwise. */
export function listrOptions() {
  const renderer = process.stdout.isTTY ? ('default' as const) : ('simple' as const);
  // Progress, failed tasks included, goes to stdout: stderr carries only the one error line the CLI prints.
  const logger = new ListrLogger({ useIcons: true, toStderr: [] });
  return { renderer, exitOnError: true, registerSignalListeners: false, rendererOptions: { collapseSubtasks: false, logger } };
}

/**
 * Every concurrent child runs to its end (exitOnError false), after which listr2 would call the group done and
 * go on: the first failure in the children's order (`errors`, filled by index) is thrown once all have ended, as
 * runSteps does, so nothing after the group starts. The group is returned to listr2, not run by the caller, so it
 * renders as the parent's subtasks.
 */
export function failAfterAll(group: Listr, errors: unknown[], failed?: (err: unknown) => void): Listr {
  const runAll = group.run.bind(group);
  group.run = async (ctx) => {
    const out = await runAll(ctx);
    const first = errors.findIndex((e) => e !== undefined);
    if (first >= 0) {
      failed?.(errors[first]);
      throw errors[first];
    }
    return out;
  };
  return group;
}

function toTask(step: Step, failed?: (err: unknown) => void): ListrTask {
  return {
    title: step.title,
    task: async (_ctx, task) => {
      try {
        await step.run?.((detail) => {
          task.output = redact(detail);
        });
      } catch (err) {
        failed?.(err);
        throw err;
      }
      if (!step.children) return;
      const children = step.children();
      if (!step.concurrent) return task.newListr(children.map((c) => toTask(c, failed)), { concurrent: false, exitOnError: true });
      const errors: unknown[] = [];
      const group = task.newListr(children.map((c, i) => toTask(c, (err) => void (errors[i] = err))), { concurrent: true, exitOnError: false });
      return failAfterAll(group, errors, failed);
    },
  };
}
