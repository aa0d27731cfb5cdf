import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Config, HostConfig } from '../../src/config/types.js';
import { planInstall } from '../../src/rollout/install-plan.js';
import { levels } from '../../src/rollout/execute.js';
import { planJson, renderPlan } from '../../src/rollout/plan-render.js';
import { planAddHost, planRemoveHost } from '../../src/rollout/scale-plan.js';
import { config as base, golden, h } from './plan-fixtures.js';

const config = { ...base, inventoryFile: '/srv/tars/tars-docker.yml', hosts: [...base.hosts, h('h6', 'slave')] } as Config;
const levelIds = (steps: Parameters<typeof levels>[0]) => levels(steps).map((l) => l.map((s) => s.id).join(' '));

describe('install plan', () => {
  it('pulls everywhere, then the master, each slave alone, every node at once', () => {
    const plan = planInstall(config, 'v3.0.14');
    golden('install', renderPlan(plan));
    assert.deepEqual(levelIds(plan.steps), [
      'pull:h1 pull:h2 pull:h3 pull:h4 pull:h5 pull:h6', 'start:h1', 'start:h2', 'start:h6', 'start:h3 start:h4 start:h5',
    ]);
    assert.ok(plan.steps.every((s) => s.kind !== 'start' || !s.removeOnFailure), 'an install keeps what it made');
  });
});

describe('scale plans', () => {
  const node: HostConfig = { name: 'n9', role: 'node', address: '10.0.0.9', docker: { kind: 'ssh', url: 'ssh://root@10.0.0.9', host: '10.0.0.9', port: 22, user: 'root' } } as HostConfig;
  const entry = { name: 'n9', role: 'node', address: '10.0.0.9', docker: { endpoint: 'ssh://root@10.0.0.9' } };

  it('add-host: pull, start (removed again if it never joins), then the inventory', () => {
    const plan = planAddHost({ config: { ...config, hosts: [...config.hosts, node] }, host: node, entry, version: 'v3.0.14' });
    golden('scale-add-host', renderPlan(plan));
    const doc = planJson(plan) as { steps: { id: string; kind: string; host: string; target: string; removeOnFailure?: boolean; entry?: unknown }[] };
    assert.deepEqual(doc.steps.map((s) => `${s.id} ${s.target}`), ['pull:n9 tarscloud/tars-node:latest', 'start:n9 tarscloud/tars-node:latest', 'inventory-add:n9 /srv/tars/tars-docker.yml']);
    assert.equal(doc.steps[1]!.removeOnFailure, true);
    assert.deepEqual(doc.steps[2]!.entry, entry);
  });

  it('remove-host: containers, rows inactive (a slave\'s registry rows too), then the inventory', () => {
    const plan = planRemoveHost(config, 'h6');
    golden('scale-remove-host', renderPlan(plan));
    const deactivate = plan.steps.find((s) => s.kind === 'deactivate');
    assert.deepEqual(deactivate && [deactivate.address, deactivate.registry], ['10.0.0.6', true]);
    assert.equal(planRemoveHost(config, 'h3').steps.some((s) => s.kind === 'deactivate' && s.registry), false, 'a node has no registry rows');
  });

  it('remove-host refuses an unknown host and the master', () => {
    assert.throws(() => planRemoveHost(config, 'nope'), /^InputError: no host named nope in \/srv\/tars\/tars-docker\.yml$/);
    assert.throws(() => planRemoveHost(config, 'h1'), /h1 is the master: it cannot be removed/);
  });
});
