import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeHost } from '../../src/cluster/health.js';
import type { ContainerFacts } from '../../src/docker/containers.js';

const running: ContainerFacts = {
  id: 'abc', name: 'tars-framework', image: 'f:v1', imageId: 'sha', state: 'running', restarting: false,
  startedAt: '', restartCount: 0, labels: {}, env: [], restartPolicy: { Name: '', MaximumRetryCount: 0 },
};

describe('host health verdict', () => {
  it('is healthy with a running container, a fresh heartbeat and (master) a web answer', () => {
    assert.deepEqual(judgeHost({ role: 'master', reachable: true, container: running, heartbeatAgeSeconds: 2, webAnswered: true }), { healthy: true });
    assert.deepEqual(judgeHost({ role: 'node', reachable: true, container: running, heartbeatAgeSeconds: 0 }), { healthy: true });
  });

  it('names the first problem a person should read', () => {
    const cases: [Parameters<typeof judgeHost>[0], RegExp][] = [
      [{ role: 'slave', reachable: false, reachError: 'h2: cannot reach Docker' }, /cannot reach Docker/],
      [{ role: 'slave', reachable: true }, /no tars container/],
      [{ role: 'slave', reachable: true, container: { ...running, state: 'exited' } }, /is exited/],
      [{ role: 'slave', reachable: true, container: { ...running, restarting: true } }, /restarting/],
      [{ role: 'node', reachable: true, container: running }, /no heartbeat/],
      [{ role: 'node', reachable: true, container: running, heartbeatAgeSeconds: 300 }, /300s ago/],
      [{ role: 'master', reachable: true, container: running, heartbeatAgeSeconds: 1, webAnswered: false }, /:3000/],
    ];
    for (const [input, problem] of cases) {
      const v = judgeHost(input);
      assert.equal(v.healthy, false);
      assert.match(v.problem ?? '', problem);
    }
  });
});
