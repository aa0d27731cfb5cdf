import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { overlappingLevels } from '../../src/cli/run-view.js';
import { planRollout, resumePlan } from '../../src/rollout/plan.js';
import { renderPlan } from '../../src/rollout/plan-render.js';
import type { RestartStep } from '../../src/rollout/plan-steps.js';
import { decideRecreate } from '../../src/rollout/recreate.js';
import { at, config, golden, migration, NEW, nodes, OLD } from './plan-fixtures.js';

describe('rollout plan', () => {
  it('upgrade: pull everywhere, backup, migrate, master, slave, nodes two at a time on two lanes', () => {
    const plan = planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 2, mode: 'upgrade', nodes: nodes(NEW, '3.0.11', ['h5']), migration: { plan: migration } });
    golden('upgrade-batch2', renderPlan(plan));
    assert.equal(plan.steps.find((s) => s.kind === 'migrate')?.plan, migration);
    const restart = plan.steps.filter((s) => s.kind === 'restart').map((s) => s.host);
    assert.deepEqual(restart, ['h1', 'h2', 'h3', 'h4', 'h5']);
    const deps = (id: string) => plan.steps.find((s) => s.id === id)!.dependsOn;
    // h5 waits for h3 alone (the node before it on its lane), not for h4 too; verify waits for both lanes' ends
    assert.deepEqual([deps('restart:h3'), deps('restart:h4'), deps('restart:h5')], [['restart:h2'], ['restart:h2'], ['restart:h3']]);
    assert.deepEqual(deps('verify'), ['restart:h4', 'restart:h5']);
    // the view shows the lanes' restarts as one group, since h5 runs while h4 may still run
    assert.deepEqual(overlappingLevels(plan.steps).map((g) => g.map((s) => s.id).join(' ')), [
      'pull:h1 pull:h2 pull:h3 pull:h4', 'backup', 'migrate', 'restart:h1', 'restart:h2', 'restart:h3 restart:h4 restart:h5', 'verify', 'record',
    ]);
    assert.equal((plan.steps.find((s) => s.id === 'restart:h1') as RestartStep).restart.fallback?.image, 'tarscloud/framework:v3.0.14');
  });

  it('the master moving restarts every node: recreated where latest moved, in place (no pull) where it did not', () => {
    const plan = planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes: nodes(OLD, '3.0.11', ['h4']) });
    const lines = renderPlan(plan);
    assert.deepEqual(plan.steps.filter((s) => s.kind === 'pull').map((s) => s.host), ['h1', 'h2', 'h4']);
    const restart = (h: string) => plan.steps.find((s) => s.id === `restart:${h}`) as RestartStep;
    assert.ok('inPlace' in restart('h3').restart!.candidate);
    assert.ok('clone' in restart('h4').restart!.candidate);
    assert.match(restart('h3').cause, /^the master moves to v3\.0\.16 and tarsnode is downloaded from its web at every start; latest still points at sha256:111111111111$/);
    assert.match(restart('h4').cause, /^latest now points at sha256:111111111111 \(runs sha256:222222222222\)$/);
    assert.ok(lines.some((l) => /container tars-node \(made by hand\): restarted in place, the same container a30000000000 tarscloud\/tars-node:latest/.test(l)), lines.join('\n'));
  });

  it('a master that moved without its nodes (a run cut short): nodes on an older tarsnode restart in place', () => {
    const plan = planRollout({ config, now: at('v3.0.16'), from: 'v3.0.16', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes: nodes(OLD, '3.0.11'), masterServes: '3.0.12' });
    assert.deepEqual(plan.steps.map((s) => s.id), ['restart:h3', 'restart:h4', 'restart:h5', 'verify', 'record']);
    assert.match(plan.steps[0]!.cause, /^it runs tarsnode 3\.0\.11, the master serves 3\.0\.12; latest still points at/);
  });

  it('nothing to do when every host runs the target', () => {
    const plan = planRollout({ config, now: at('v3.0.16'), from: 'v3.0.16', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes: nodes(OLD), masterServes: '3.0.12' });
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(renderPlan(plan), ['nothing to do: every host already runs v3.0.16']);
  });

  it('resumes a half-done upgrade: only hosts not yet on the target are restarted, no migration if the master is done', () => {
    const now = { ...at('v3.0.14'), h1: at('v3.0.16').h1, h2: at('v3.0.16').h2 };
    const facts = { ...nodes(OLD, '3.0.11'), h5: { runningDigest: OLD, tagDigest: OLD, tarsnodeVersion: '3.0.12' } };
    const plan = planRollout({ config, now, from: 'v3.0.14', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes: facts, masterServes: '3.0.12' });
    golden('upgrade-resume', renderPlan(plan));
    assert.ok(!plan.steps.some((s) => s.kind === 'migrate'));
  });

  it('a resumed run whose hosts all moved still verifies and records', () => {
    const plan = resumePlan(planRollout({ config, now: at('v3.0.16'), from: 'v3.0.16', to: 'v3.0.16', batch: 1, mode: 'upgrade' }), config);
    assert.deepEqual(plan.steps.map((s) => `${s.id} after ${s.dependsOn.join(',') || '-'}`), ['verify after -', 'record after verify']);
    const busy = planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 1, mode: 'upgrade' });
    assert.equal(resumePlan(busy, config), busy);
  });

  it('rollback never migrates', () => {
    const plan = planRollout({ config, now: at('v3.0.16'), from: 'v3.0.16', to: 'v3.0.14', batch: 5, mode: 'rollback', nodes: nodes(OLD) });
    golden('rollback', renderPlan(plan));
    assert.ok(!plan.steps.some((s) => s.kind === 'migrate'));
  });
});

describe('recreate decision', () => {
  it('says why', () => {
    assert.deepEqual(decideRecreate({}, 'f:v2'), { recreate: true, inPlace: false, cause: 'no container' });
    assert.deepEqual(decideRecreate({ image: 'f:v1', state: 'running' }, 'f:v2'), { recreate: true, inPlace: false, cause: 'runs f:v1' });
    assert.deepEqual(decideRecreate({ image: 'f:v2', state: 'exited' }, 'f:v2'), { recreate: true, inPlace: false, cause: 'container is exited' });
    assert.deepEqual(decideRecreate({ image: 'f:v2', state: 'running', restarting: true }, 'f:v2'), { recreate: true, inPlace: false, cause: 'container keeps restarting' });
    assert.deepEqual(decideRecreate({ image: 'f:v2', state: 'running' }, 'f:v2'), { recreate: false, inPlace: false, cause: 'already runs f:v2' });
    const up = { image: 'n:latest', state: 'running' };
    assert.deepEqual(decideRecreate(up, 'n:latest', { runningDigest: null, tagDigest: NEW }), { recreate: true, inPlace: false, cause: 'latest now points at sha256:222222222222 (its digest is unknown)' });
    assert.deepEqual(decideRecreate(up, 'n:latest', { runningDigest: NEW, tagDigest: NEW }), { recreate: false, inPlace: false, cause: 'already runs n:latest' });
  });
});
