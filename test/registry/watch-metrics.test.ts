// The registry client's request observer feeding the watcher's metrics, over real HTTP: a real registry behind a
// front that answers 429 with Docker Hub's rate-limit headers twice, then lets requests through.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { runCheck } from '../../src/versions/run-check.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { promtoolCheck, samples } from '../support/prometheus.js';
import { pushImage, startFlaky, startRegistry, type LocalRegistry } from './fixtures.js';

let upstream: LocalRegistry;

before(async () => {
  upstream = await startRegistry();
  await pushImage(upstream, 'tarscloud/framework', 'v3.0.17');
});
after(async () => {
  await upstream?.stop();
});

test('requests by status and ratelimit-remaining come from the responses the check got', async () => {
  const flaky = await startFlaky(upstream, { failures: 2, status: 429 });
  try {
    const metrics = new WatchMetrics(async () => [], () => {});
    const client = new RegistryClient({ dockerConfig: false, retry: { baseDelayMs: 1, maxDelayMs: 2 }, onRequest: metrics.observeRequest });
    const image = `${flaky.host}/tarscloud/framework`;
    const report = await runCheck(client, { images: [image], hosts: [{ name: 'm1', role: 'master', image: `${image}:v3.0.14` }] });
    metrics.recordCycle({ report, facts: [], sent: [], failed: [] });
    const text = await metrics.render();
    assert.equal((await promtoolCheck(text)).code, 0);

    const requests = samples(text, 'tars_docker_registry_requests_total', { registry: flaky.host });
    const byStatus = Object.fromEntries(requests.map((s) => [s.labels.status, s.value]));
    assert.equal(byStatus['429'], 2);
    assert.equal(Object.values(byStatus).reduce((a, b) => a + b, 0), client.stats.requests, JSON.stringify(byStatus));
    assert.deepEqual(samples(text, 'tars_docker_registry_ratelimit_remaining').map((s) => [s.labels.registry, s.value]), [[flaky.host, 0]]);
    assert.deepEqual(
      samples(text, 'tars_docker_update_available').map((s) => [s.labels.image, s.labels.current, s.labels.newest, s.value]),
      [[image, 'v3.0.14', 'v3.0.17', 1]],
    );
  } finally {
    await flaky.stop();
  }
});
