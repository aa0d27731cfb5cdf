import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextLink, parseChallenge, parseRateLimit, parseRetryAfter } from '../../src/registry/headers.js';

test('bearer challenge with a comma inside a quoted scope', () => {
  const c = parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push",error="insufficient_scope"');
  assert.deepEqual(c, {
    scheme: 'bearer',
    params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull,push', error: 'insufficient_scope' },
  });
  assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  assert.equal(parseChallenge(null), null);
});

test('Link rel=next, relative or absolute', () => {
  const base = 'http://127.0.0.1:5000/v2/a/b/tags/list?n=2';
  assert.equal(nextLink('</v2/a/b/tags/list?last=v2&n=2>; rel="next"', base), 'http://127.0.0.1:5000/v2/a/b/tags/list?last=v2&n=2');
  assert.equal(nextLink('<https://x/v2/c?last=1>; rel=next', base), 'https://x/v2/c?last=1');
  assert.equal(nextLink('</v2/prev>; rel="prev"', base), null);
  assert.equal(nextLink(null, base), null);
});

test('Retry-After as seconds or date', () => {
  assert.equal(parseRetryAfter('2'), 2000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
  assert.equal(parseRetryAfter('soon'), null);
  assert.equal(parseRetryAfter(null), null);
});

test('Docker Hub rate-limit headers', () => {
  const h = new Headers({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600', 'docker-ratelimit-source': '192.0.2.1' });
  assert.deepEqual(parseRateLimit('docker.io', h), { registry: 'docker.io', limit: 100, remaining: 76, windowSeconds: 21600, source: '192.0.2.1' });
  assert.equal(parseRateLimit('x', new Headers()), null);
});
