import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planPrune, renderPrunePlan } from '../../src/rollout/prune-plan.js';
import type { TarsImage } from '../../src/docker/tars-images.js';

const FW = 'reg:5000/tarscloud/framework';
const NODE = 'reg:5000/tarscloud/tars-node';
const img = (id: string, repository: string, tag: string, created: number, more: TarsImage['refs'] = []): TarsImage => ({
  id: `sha256:${id.padEnd(64, '0')}`, refs: [{ repository, tag }, ...more], created,
});
const images = [
  img('a06', FW, 'v3.0.6', 100),
  img('a11', FW, 'v3.0.11', 110),
  img('a14', FW, 'v3.0.14', 140),
  img('a16', FW, 'v3.0.16', 160),
  img('b01', NODE, 'latest', 50),
];
const id = (s: string) => `sha256:${s.padEnd(64, '0')}`;

describe('prune plan', () => {
  it('keep 1 after two upgrades: only what no container, no rollback and no newest-of-repository needs goes', () => {
    const plan = planPrune({
      host: 'h1',
      images,
      containers: [
        { name: 'tars-framework', imageId: id('a16') },
        { name: 'tars-framework.previous', imageId: id('a14') },
      ],
      rollbackTags: ['v3.0.14'],
      keep: 1,
    });
    assert.deepEqual(renderPrunePlan(plan), [
      'h1: remove reg:5000/tarscloud/framework:v3.0.11 (a11000000000)',
      'h1: remove reg:5000/tarscloud/framework:v3.0.6 (a06000000000)',
      'h1: keep reg:5000/tarscloud/framework:v3.0.16 (a16000000000): in use by tars-framework; among the 1 newest of reg:5000/tarscloud/framework',
      'h1: keep reg:5000/tarscloud/framework:v3.0.14 (a14000000000): in use by tars-framework.previous; rollback target v3.0.14',
      'h1: keep reg:5000/tarscloud/tars-node:latest (b01000000000): among the 1 newest of reg:5000/tarscloud/tars-node',
    ]);
  });

  it('the rollback target stays with no container using it; a stopped container keeps its image', () => {
    const plan = planPrune({
      host: 'h3',
      images,
      containers: [{ name: 'old-by-hand', imageId: id('a06') }],
      rollbackTags: ['v3.0.11'],
      keep: 1,
    });
    assert.deepEqual(plan.remove.map((i) => i.refs), [['reg:5000/tarscloud/framework:v3.0.14']]);
    assert.deepEqual(plan.keep.map((i) => [i.refs[0], i.reasons]), [
      ['reg:5000/tarscloud/framework:v3.0.16', ['among the 1 newest of reg:5000/tarscloud/framework']],
      ['reg:5000/tarscloud/framework:v3.0.11', ['rollback target v3.0.11']],
      ['reg:5000/tarscloud/framework:v3.0.6', ['in use by old-by-hand']],
      ['reg:5000/tarscloud/tars-node:latest', ['among the 1 newest of reg:5000/tarscloud/tars-node']],
    ]);
  });

  it('default keep 2 counts per repository, registry prefix included; an image tagged in two repositories is one image', () => {
    const mirror = 'docker.tarsyun.com/tarscloud/framework';
    const plan = planPrune({
      host: 'h2',
      images: [...images.slice(0, 3), img('a16', FW, 'v3.0.16', 160, [{ repository: mirror, tag: 'v3.0.16' }]), img('c14', mirror, 'v3.0.14', 141)],
      containers: [],
      rollbackTags: [],
      keep: 2,
    });
    assert.deepEqual(plan, {
      host: 'h2',
      remove: [
        { id: id('a11'), refs: ['reg:5000/tarscloud/framework:v3.0.11'] },
        { id: id('a06'), refs: ['reg:5000/tarscloud/framework:v3.0.6'] },
      ],
      keep: [
        { id: id('a16'), refs: ['docker.tarsyun.com/tarscloud/framework:v3.0.16', 'reg:5000/tarscloud/framework:v3.0.16'], reasons: [`among the 2 newest of ${FW}`, `among the 2 newest of ${mirror}`] },
        { id: id('c14'), refs: ['docker.tarsyun.com/tarscloud/framework:v3.0.14'], reasons: [`among the 2 newest of ${mirror}`] },
        { id: id('a14'), refs: ['reg:5000/tarscloud/framework:v3.0.14'], reasons: [`among the 2 newest of ${FW}`] },
      ],
    });
  });

  it('an engine with no Tars images plans nothing', () => {
    assert.deepEqual(planPrune({ host: 'h4', images: [], containers: [{ name: 'x', imageId: 'sha256:1' }], rollbackTags: ['v3.0.14'], keep: 2 }), { host: 'h4', remove: [], keep: [] });
  });

  it('newest by version tag, not by creation time: an older release pulled or rebuilt later is not kept as newest', () => {
    const plan = planPrune({
      host: 'h5',
      images: [img('a06', FW, 'v3.0.6', 900), img('a14', FW, 'v3.0.14', 140), img('a16', FW, 'v3.0.16', 160), img('b01', NODE, 'latest', 50), img('b02', NODE, 'stable', 60)],
      containers: [],
      rollbackTags: [],
      keep: 1,
    });
    assert.deepEqual(plan.keep.map((k) => k.refs[0]).sort(), [`${FW}:v3.0.16`, `${NODE}:stable`]);
    assert.deepEqual(plan.remove.map((r) => r.refs[0]).sort(), [`${FW}:v3.0.14`, `${FW}:v3.0.6`, `${NODE}:latest`]);
  });
});
