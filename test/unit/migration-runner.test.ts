import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TarsDockerError } from '../../src/errors.js';
import { MemoryHistory } from '../../src/db/migrate/memory-history.js';
import { continueRun, dryRun, runSteps, type StepExecutor } from '../../src/db/migrate/migration-runner.js';
import type { PlanStep } from '../../src/db/migrate/plan-types.js';

const ddl = (id: string): PlanStep => ({ id, kind: 'add-column', database: 'd', table: 't', sql: `ALTER ${id}`, online: true, check: { kind: 'column-exists', table: 't', column: id } });
const seed = (id: string): PlanStep => ({ id, kind: 'insert', database: 'd', table: 't', sql: `INSERT ${id}`, online: false, check: { kind: 'transactional' } });

/** Applies statements to a set, like a server would; can be told to fail once. */
class FakeServer implements StepExecutor {
  applied: string[] = [];
  failOn?: string;
  async execute(step: PlanStep) {
    if (this.failOn === step.id) throw new Error(`server refused ${step.id}`);
    this.applied.push(step.id);
    return { algorithm: 'INSTANT' as const };
  }
  async executeWithRecord(step: PlanStep, record: () => Promise<void>) {
    await this.execute(step);
    await record();
  }
  async isApplied(step: PlanStep) {
    return step.check.kind !== 'transactional' && this.applied.includes(step.id);
  }
}

describe('migration runner', () => {
  it('runs steps in order and records each as done with its algorithm', async () => {
    const storage = new MemoryHistory();
    const executor = new FakeServer();
    const results = await runSteps({ storage, executor }, 'r1', 'v1', [ddl('a'), seed('b'), ddl('c')]);
    assert.deepEqual(executor.applied, ['a', 'b', 'c']);
    assert.deepEqual(results.map((r) => r.status), ['applied', 'applied', 'applied']);
    assert.deepEqual(storage.entries.map((e) => [e.outcome, e.algorithm]), [['done', 'INSTANT'], ['done', undefined], ['done', 'INSTANT']]);
    assert.deepEqual(await storage.unfinished(), []);
  });

  it('after a crash, skips finished steps, probes the interrupted one and runs the rest once', async () => {
    const storage = new MemoryHistory();
    const executor = new FakeServer();
    const entries = await storage.begin('r1', 'v1', [ddl('a'), ddl('b'), seed('c'), ddl('d')]);
    // What a SIGKILL leaves: a done, b applied by the server but still "running", c started but rolled back.
    executor.applied.push('a', 'b');
    await storage.markDone(entries[0]!, {});
    await storage.markRunning(entries[1]!);
    await storage.markRunning(entries[2]!);
    const results = await continueRun({ storage, executor }, await storage.unfinished());
    assert.deepEqual(results.map((r) => `${r.step.id}:${r.status}`), ['a:already-done', 'b:recovered', 'c:applied', 'd:applied']);
    assert.deepEqual(executor.applied, ['a', 'b', 'c', 'd']);
    assert.ok(storage.entries.every((e) => e.outcome === 'done'));
  });

  it('a failing step is recorded as failed and stops the run with the step named', async () => {
    const storage = new MemoryHistory();
    const executor = new FakeServer();
    executor.failOn = 'b';
    await assert.rejects(runSteps({ storage, executor }, 'r1', 'v1', [ddl('a'), ddl('b'), ddl('c')]), (err: unknown) =>
      err instanceof TarsDockerError && err.message === 'd: step "b" failed: server refused b' && err.context.step === 'b');
    assert.deepEqual(storage.entries.map((e) => e.outcome), ['done', 'failed', 'pending']);
    executor.failOn = undefined;
    const rerun = await continueRun({ storage, executor }, await storage.unfinished());
    assert.deepEqual(rerun.map((r) => r.status), ['already-done', 'applied', 'applied']);
  });

  it('dry run touches neither storage nor server', () => {
    assert.deepEqual(dryRun([ddl('a')]).map((r) => r.status), ['would-run']);
  });
});
