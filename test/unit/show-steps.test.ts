import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { showSteps } from '../../src/cli/tasks.js';
import { runSteps, type Step } from '../../src/steps.js';

/** Steps whose concurrent group has a failing child: what comes after the group must never start. */
function plan(ran: string[]): Step[] {
  const child = (name: string, fail: boolean): Step => ({
    title: name,
    run: async () => {
      ran.push(name);
      if (fail) throw new Error(`${name} failed`);
    },
  });
  return [
    { title: 'pulls', concurrent: true, children: () => [child('pull:a', false), child('pull:b', true), child('pull:c', true)] },
    child('restart:a', false),
  ];
}

describe('showing steps', () => {
  it('a failed child of a concurrent group stops the run after the group, with the first failure in step order', async () => {
    for (const show of [(s: Step[]) => showSteps(s, false), (s: Step[]) => runSteps(s)]) {
      const ran: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write;
      try {
        await assert.rejects(show(plan(ran)), /^Error: pull:b failed$/);
      } finally {
        process.stdout.write = write;
      }
      assert.deepEqual(ran.sort(), ['pull:a', 'pull:b', 'pull:c'], 'every child ran to its end, nothing after the group');
    }
  });
});
