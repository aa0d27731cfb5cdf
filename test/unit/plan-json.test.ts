import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withHooks } from '../../src/rollout/hook-plan.js';
import { fileJournal, unfinishedRun } from '../../src/rollout/journal.js';
import { planRollout } from '../../src/rollout/plan.js';
import { planJson } from '../../src/rollout/plan-render.js';
import { at, config, migration, NEW, nodes } from './plan-fixtures.js';

const hooks = {
  'pre-upgrade': { command: './drain-all.sh', timeoutSeconds: 120 },
  'pre-host': { command: 'lb disable', timeoutSeconds: 30 },
};
const upgrade = () => withHooks(planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 2, mode: 'upgrade', nodes: nodes(NEW) }), hooks);

describe('the --json plan', () => {
  it('keeps the fields scripts read (id, kind, host, target, cause, dependsOn, restart) with the values they had', () => {
    const doc = planJson(upgrade()) as { mode: string; from: string; to: string; steps: Record<string, unknown>[] };
    assert.deepEqual([doc.mode, doc.from, doc.to], ['upgrade', 'v3.0.14', 'v3.0.16']);
    const old = doc.steps.map((s) => `${String(s.id)} ${String(s.kind)} ${String(s.host ?? '-')} ${String(s.target)}`);
    assert.deepEqual(old.slice(0, 6), [
      'hook:pre-upgrade hook - pre-upgrade',
      'pull:h1 pull h1 tarscloud/framework:v3.0.16',
      'pull:h2 pull h2 tarscloud/framework:v3.0.16',
      'pull:h3 pull h3 tarscloud/tars-node:latest',
      'pull:h4 pull h4 tarscloud/tars-node:latest',
      'pull:h5 pull h5 tarscloud/tars-node:latest',
    ]);
    assert.deepEqual(old.slice(6, 9), ['backup backup - db_tars,db_tars_web,db_user_system', 'migrate migrate - v3.0.16', 'hook:pre-host:h1 hook h1 pre-host']);
    assert.deepEqual(old.slice(-2), ['verify verify - v3.0.16', 'record record - v3.0.16']);
    for (const s of doc.steps) assert.ok(typeof s.cause === 'string' && Array.isArray(s.dependsOn), JSON.stringify(s));
    const restart = doc.steps.find((s) => s.id === 'restart:h1') as { restart: { image: string; container: string } };
    assert.deepEqual([restart.restart.image, restart.restart.container], ['tarscloud/framework:v3.0.16', 'tars-framework']);
  });

  it('adds each kind\'s own data beside them', () => {
    const steps = (planJson(upgrade()) as { steps: Record<string, unknown>[] }).steps;
    const by = (id: string) => steps.find((s) => s.id === id)!;
    assert.deepEqual(by('backup').databases, ['db_tars', 'db_tars_web', 'db_user_system']);
    assert.deepEqual([by('migrate').image, by('migrate').databases], ['tarscloud/framework:v3.0.16', ['db_tars_web', 'db_user_system']]);
    assert.equal(by('pull:h3').image, 'tarscloud/tars-node:latest');
    assert.deepEqual([by('hook:pre-host:h1').hook, by('hook:pre-host:h1').command], ['pre-host', 'lb disable']);
    assert.deepEqual((by('verify').expect as { host: string }[]).map((e) => e.host), ['h1', 'h2', 'h3', 'h4', 'h5']);
  });

  it('carries the migrate step\'s prepared migration as its plan field', () => {
    const planned = planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 2, mode: 'upgrade', nodes: nodes(NEW), migration: { plan: migration } });
    const step = (planJson(planned) as { steps: Record<string, unknown>[] }).steps.find((s) => s.kind === 'migrate')!;
    assert.deepEqual(step.plan, migration);
    assert.equal(JSON.parse(JSON.stringify(step)).plan.databases[1].findings[0].severity, 'unsafe');
  });
});

describe('a journal written before plan steps carried their own data', () => {
  it('resumes: its step ids and details are the ones the new plans use', async () => {
    // lines as the executor wrote them when a step was {kind, target}: only ids and details reach the journal
    const file = join(mkdtempSync(join(tmpdir(), 'td-old-journal-')), 'journal.jsonl');
    writeFileSync(file, [
      '{"at":"2026-11-30T10:00:00.000Z","runId":"r-old","event":"run-start","detail":{"mode":"upgrade","from":"v3.0.14","to":"v3.0.16"}}',
      '{"at":"2026-11-30T10:00:01.000Z","runId":"r-old","event":"step-start","step":"hook:pre-upgrade"}',
      '{"at":"2026-11-30T10:00:02.000Z","runId":"r-old","event":"step-done","step":"hook:pre-upgrade","detail":{"exitCode":0}}',
      '{"at":"2026-11-30T10:00:03.000Z","runId":"r-old","event":"step-done","step":"pull:h1"}',
      '{"at":"2026-11-30T10:00:04.000Z","runId":"r-old","event":"step-done","step":"backup","detail":{"backupId":"b1","rows":{"db_tars.t_node_info":5}}}',
      '{"at":"2026-11-30T10:00:05.000Z","runId":"r-old","event":"step-start","step":"migrate"}',
      '',
    ].join('\n'));
    const open = unfinishedRun(await fileJournal(file).read())!;
    assert.deepEqual([open.runId, open.mode, open.from, open.to], ['r-old', 'upgrade', 'v3.0.14', 'v3.0.16']);
    const ids = new Set(upgrade().steps.map((s) => s.id));
    assert.ok([...open.done].every((id) => ids.has(id)), [...open.done].join(', '));
    assert.equal(open.details.get('backup')?.backupId, 'b1');
  });

  it('an install or scale run that ended after it does not hide it; one of theirs left open is never resumed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'td-mixed-journal-')), 'journal.jsonl');
    const j = fileJournal(file);
    await j.append({ runId: 'up', event: 'run-start', detail: { mode: 'upgrade', from: 'v3.0.14', to: 'v3.0.16' } });
    await j.append({ runId: 'up', event: 'step-done', step: 'pull:h1' });
    await j.append({ runId: 'add', event: 'run-start', detail: { mode: 'add-host', host: 'n9', to: 'v3.0.14' } });
    await j.append({ runId: 'add', event: 'run-end', detail: { outcome: 'succeeded' } });
    await j.append({ runId: 'inst', event: 'run-start', detail: { mode: 'install', to: 'v3.0.14' } });
    assert.deepEqual([unfinishedRun(await j.read())?.runId, [...unfinishedRun(await j.read())!.done]], ['up', ['pull:h1']]);
  });
});
