import { Listr, ListrLogger, type ListrTask } from 'listr2';
import { runSteps, type Step } from '../steps.js';
import { redact } from '../redact.js';

/** Shows steps as listr2 tasks for a person (plain lines when stdout is not a terminal); silent with --json. */
export async function showSteps(steps: Step[], json: boolean): Promise<void> {
  if (json) return runSteps(steps);
  const renderer = process.stdout.isTTY ? 'default' : 'simple';
  // Progress, failed tasks included, goes to stdout: stderr carries only the one error line the CLI prints.
  const logger = new ListrLogger({ useIcons: true, toStderr: [] });
  await new Listr(steps.map(toTask), { renderer, exitOnError: true, registerSignalListeners: false, rendererOptions: { collapseSubtasks: false, logger } }).run();
}

function toTask(step: Step): ListrTask {
  return {
    title: step.title,
    task: async (_ctx, task) => {
      await step.run?.((detail) => {
        task.output = redact(detail);
      });
      if (!step.children) return;
      const children = step.children();
      return task.newListr(children.map(toTask), {
        concurrent: step.concurrent ?? false,
        exitOnError: !step.concurrent,
      });
    },
  };
}
