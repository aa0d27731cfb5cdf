import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { RegistryError } from '../../src/registry/errors.js';
import { freePort, pushImage, startFlaky, startRegistry, startSilent, type LocalRegistry, type Server } from './fixtures.js';

let upstream: LocalRegistry;
let silent: Server & { connections: number };

before(async () => {
  upstream = await startRegistry();
  await pushImage(upstream, 'tarscloud/framework', 'v3.0.17');
  silent = await startSilent();
});
after(async () => {
  await silent?.stop();
  await upstream?.stop();
});

test('429 twice then 200: retried after Retry-After, rate limit reported', async () => {
  const flaky = await startFlaky(upstream, { failures: 2, status: 429, retryAfter: '1' });
  try {
    const lines: string[] = [];
    const client = new RegistryClient({ dockerConfig: false, log: (l) => lines.push(l) });
    const started = Date.now();
    assert.deepEqual(await client.listTags(`${flaky.host}/tarscloud/framework`), ['v3.0.17']);
    assert.ok(Date.now() - started >= 1900, 'waited Retry-After twice');
    assert.equal(flaky.hits, 3);
    assert.equal(client.stats.retries, 2);
    assert.deepEqual(client.stats.rateLimit, { registry: flaky.host, limit: 100, remaining: 0, windowSeconds: 21600 });
    assert.match(lines[0]!, /^registry 127\.0\.0\.1:\d+: GET \/v2\/tarscloud\/framework\/tags\/list answered 429, retrying in 1000 ms$/);
  } finally {
    await flaky.stop();
  }
});

test('5xx without end: bounded attempts, then one line', async () => {
  const flaky = await startFlaky(upstream, { failures: 100, status: 503 });
  try {
    const client = new RegistryClient({ dockerConfig: false, retry: { attempts: 3, baseDelayMs: 20 } });
    await assert.rejects(client.listTags(`${flaky.host}/tarscloud/framework`), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(e.message, `registry ${flaky.host}: GET /v2/tarscloud/framework/tags/list answered 503 3 times in a row; giving up`);
      return true;
    });
    assert.equal(flaky.hits, 3);
  } finally {
    await flaky.stop();
  }
});

test('a Retry-After beyond the limit fails at once and says when to come back', async () => {
  const flaky = await startFlaky(upstream, { failures: 1, status: 429, retryAfter: '3600' });
  try {
    const client = new RegistryClient({ dockerConfig: false });
    await assert.rejects(client.listTags(`${flaky.host}/tarscloud/framework`), /answered 429; it asks to retry after 3600 s$/);
    assert.equal(flaky.hits, 1);
  } finally {
    await flaky.stop();
  }
});

test('closed port: fails at once naming the registry, without retrying', async () => {
  const port = await freePort();
  const client = new RegistryClient({ dockerConfig: false });
  await assert.rejects(client.listTags(`127.0.0.1:${port}/tarscloud/framework`), (e: unknown) => {
    assert.ok(e instanceof RegistryError);
    assert.equal(e.message, `registry 127.0.0.1:${port}: unreachable: connection refused (http://127.0.0.1:${port})`);
    assert.equal(e.exitCode, 1);
    return true;
  });
  assert.deepEqual([client.stats.requests, client.stats.retries], [1, 0], 'one attempt, no backoff');
});

test('a registry that accepts and never answers fails after the timeout, once', async () => {
  const client = new RegistryClient({ dockerConfig: false, timeoutMs: 1500 });
  const started = Date.now();
  await assert.rejects(
    client.digest(`${silent.host}/tarscloud/framework`, 'v3.0.17'),
    new RegExp(`^RegistryError: registry ${silent.host}: unreachable: no answer from http://${silent.host} within 1.5 s$`),
  );
  // It waited for the answer (a timer never fires early by more than a millisecond or so) and did not retry.
  assert.ok(Date.now() - started >= 1490, `gave up after ${Date.now() - started} ms`);
  assert.deepEqual([client.stats.requests, client.stats.retries, silent.connections], [1, 0, 1]);
});
