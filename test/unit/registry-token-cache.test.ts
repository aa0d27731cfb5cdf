import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenCache } from '../../src/registry/token-cache.js';

test('one fetch for concurrent callers, reuse until shortly before expiry', async () => {
  let now = 0;
  const cache = new TokenCache(() => now, 10_000);
  let fetches = 0;
  const fetchToken = async (): Promise<{ token: string; expiresInMs: number }> => {
    fetches++;
    await new Promise((r) => setTimeout(r, 5));
    return { token: `t${fetches}`, expiresInMs: 60_000 };
  };
  const got = await Promise.all([cache.get('k', fetchToken), cache.get('k', fetchToken), cache.get('k', fetchToken)]);
  assert.deepEqual(got, ['t1', 't1', 't1']);
  now = 49_000;
  assert.equal(await cache.get('k', fetchToken), 't1');
  now = 50_001;
  assert.equal(await cache.get('k', fetchToken), 't2');
  assert.equal(await cache.get('other', fetchToken), 't3');
  cache.drop('k');
  assert.equal(await cache.get('k', fetchToken), 't4');
});

test('a failed fetch is not cached', async () => {
  const cache = new TokenCache();
  await assert.rejects(cache.get('k', async () => Promise.reject(new Error('down'))), /down/);
  assert.equal(await cache.get('k', async () => ({ token: 'ok', expiresInMs: 60_000 })), 'ok');
});
