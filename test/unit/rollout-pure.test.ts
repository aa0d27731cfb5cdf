import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addInventoryHost, removeInventoryHost } from '../../src/config/inventory-edit.js';
import { executePlan, levels } from '../../src/rollout/execute.js';
import { fileJournal, unfinishedRun, type JournalEvent, type JournalStore } from '../../src/rollout/journal.js';
import type { PlanStep } from '../../src/rollout/plan-steps.js';
import { lostRows } from '../../src/rollout/row-counts.js';

const step = (id: string, dependsOn: string[] = []): PlanStep => ({ id, kind: 'pull', host: 'h', image: 'x', cause: '', dependsOn });

describe('executor levels', () => {
  it('runs each step after everything it depends on, siblings together', () => {
    const plan = [step('pull:a'), step('pull:b'), step('backup', ['pull:a', 'pull:b']), step('restart:a', ['backup']), step('restart:b', ['backup'])];
    assert.deepEqual(levels(plan).map((l) => l.map((s) => s.id)), [['pull:a', 'pull:b'], ['backup'], ['restart:a', 'restart:b']]);
  });
  it('refuses a cycle', () => {
    assert.throws(() => levels([step('a', ['b']), step('b', ['a'])]), /cycle/);
  });
});

describe('executor', () => {
  const memoryJournal = (): JournalStore => {
    const events: JournalEvent[] = [];
    return { append: async (e) => void events.push({ at: '', ...e }), read: async () => events };
  };
  /** A pull handler whose steps end only when the test says so; `started` lists them in the order they began. */
  const held = () => {
    const started: string[] = [];
    const release = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
    const next = new Map<string, () => void>();
    const handlers = {
      pull: (s: PlanStep) => {
        started.push(s.id);
        next.get(s.id)?.();
        return new Promise<void>((ok, fail) => release.set(s.id, { ok, fail }));
      },
    };
    const startOf = (id: string) => new Promise<void>((r) => (started.includes(id) ? r() : next.set(id, r)));
    return { started, release, handlers, startOf };
  };

  it('starts a step once the steps it names are done, while the rest of their level still runs', async () => {
    const h = held();
    const plan = { steps: [step('a'), step('b'), step('c', ['a'])] };
    const run = executePlan(plan, 'r', memoryJournal(), h.handlers, new Set());
    await h.startOf('b');
    h.release.get('a')!.ok();
    await h.startOf('c');
    assert.deepEqual(h.started, ['a', 'b', 'c'], 'c ran while b had not ended');
    h.release.get('c')!.ok();
    h.release.get('b')!.ok();
    await run;
  });

  it('after a failure starts nothing more, lets the running steps end, and throws the first failure in step order', async () => {
    const h = held();
    const plan = { steps: [step('a'), step('b'), step('c', ['a']), step('d', ['b'])] };
    const run = executePlan(plan, 'r', memoryJournal(), h.handlers, new Set());
    await h.startOf('b');
    h.release.get('b')!.fail(new Error('b broke'));
    h.release.get('a')!.ok();
    await assert.rejects(run, /b broke/);
    assert.deepEqual(h.started, ['a', 'b'], 'neither c nor d started after b failed');
  });
});

describe('journal', () => {
  it('finds the unfinished run and its finished steps, ignoring a torn last line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'td-journal-')), 'journal.jsonl');
    const j = fileJournal(file);
    await j.append({ runId: 'r1', event: 'run-start', detail: { mode: 'upgrade', to: 'v1' } });
    await j.append({ runId: 'r1', event: 'run-end' });
    await j.append({ runId: 'r2', event: 'run-start', detail: { mode: 'upgrade', to: 'v2' } });
    await j.append({ runId: 'r2', event: 'step-start', step: 'backup' });
    await j.append({ runId: 'r2', event: 'step-done', step: 'backup', detail: { backupId: 'b1' } });
    await j.append({ runId: 'r2', event: 'step-start', step: 'migrate' });
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"runId":"r2","event":"step-do`);
    const open = unfinishedRun(await j.read())!;
    assert.equal(open.runId, 'r2');
    assert.equal(open.to, 'v2');
    assert.deepEqual([...open.done], ['backup']);
    assert.deepEqual(open.details.get('backup'), { backupId: 'b1' });
    assert.deepEqual([...open.started], ['migrate']);
  });
  it('names a step that started and never finished (it failed): the migrate step then plans again when it runs', async () => {
    const j = fileJournal(join(mkdtempSync(join(tmpdir(), 'td-journal-')), 'j.jsonl'));
    await j.append({ runId: 'r1', event: 'run-start', detail: { mode: 'upgrade', to: 'v2' } });
    await j.append({ runId: 'r1', event: 'step-start', step: 'backup' });
    await j.append({ runId: 'r1', event: 'step-done', step: 'backup' });
    await j.append({ runId: 'r1', event: 'step-start', step: 'migrate' });
    await j.append({ runId: 'r1', event: 'step-failed', step: 'migrate', detail: { error: 'x' } });
    const open = unfinishedRun(await j.read())!;
    assert.deepEqual([...open.started], ['migrate']);
  });
  it('has nothing to resume after a finished run', async () => {
    const j = fileJournal(join(mkdtempSync(join(tmpdir(), 'td-journal-')), 'j.jsonl'));
    await j.append({ runId: 'r1', event: 'run-start', detail: { mode: 'upgrade', to: 'v1' } });
    await j.append({ runId: 'r1', event: 'run-end' });
    assert.equal(unfinishedRun(await j.read()), undefined);
  });
});

describe('row counts', () => {
  it('names tables that lost rows or vanished', () => {
    assert.deepEqual(lostRows({ 'a.t1': 5, 'a.t2': 3, 'a.t3': 0, 'a.t4': 1 }, { 'a.t1': 5, 'a.t2': 2, 'a.t3': 0 }), ['a.t2 (3 -> 2)', 'a.t4 (1 -> gone)']);
  });
});

describe('inventory edits', () => {
  it('adds and removes a host keeping comments and the rest of the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'td-inv-')), 'tars-docker.yml');
    const original = '# our cluster\nproject: tars\nhosts:\n  # the master\n  - name: h1\n    role: master\n    address: 10.0.0.1\n    docker: { endpoint: unix:///var/run/docker.sock }\n';
    writeFileSync(file, original);
    addInventoryHost(file, { name: 'n1', role: 'node', address: '10.0.0.2', docker: { endpoint: 'ssh://root@10.0.0.2', identityFile: '/k' } });
    const added = readFileSync(file, 'utf8');
    assert.ok(added.startsWith(original), added);
    assert.match(added, /- name: n1\n\s+role: node\n\s+address: 10\.0\.0\.2/);
    removeInventoryHost(file, 'n1');
    assert.equal(readFileSync(file, 'utf8'), original);
  });
});
