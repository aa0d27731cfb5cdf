import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { familiarName, formatReference, parseReference, repoDigestFor, sameRepository } from '../../src/registry/reference.js';
import { isInsecureRegistry, registryBaseUrl } from '../../src/registry/scheme.js';

test('Docker Hub names get docker.io and library/', () => {
  assert.deepEqual(parseReference('nginx'), { registry: 'docker.io', repository: 'library/nginx' });
  assert.deepEqual(parseReference('tarscloud/framework:v3.0.14'), { registry: 'docker.io', repository: 'tarscloud/framework', tag: 'v3.0.14' });
  assert.deepEqual(parseReference('index.docker.io/tarscloud/tars-node:latest'), { registry: 'docker.io', repository: 'tarscloud/tars-node', tag: 'latest' });
  assert.equal(familiarName(parseReference('docker.io/library/nginx')), 'nginx');
});

test('a registry host is recognised by a dot, a port or localhost', () => {
  assert.deepEqual(parseReference('10.213.7.1:5000/tarscloud/framework:v3.0.17'), { registry: '10.213.7.1:5000', repository: 'tarscloud/framework', tag: 'v3.0.17' });
  assert.deepEqual(parseReference('localhost/a/b'), { registry: 'localhost', repository: 'a/b' });
  assert.deepEqual(parseReference('docker.tarsyun.com/tarscloud/framework'), { registry: 'docker.tarsyun.com', repository: 'tarscloud/framework' });
  assert.equal(parseReference('tarscloud/framework').registry, 'docker.io');
});

test('tags and digests', () => {
  const d = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(parseReference(`127.0.0.1:5000/x/y:1.0@${d}`), { registry: '127.0.0.1:5000', repository: 'x/y', tag: '1.0', digest: d });
  assert.deepEqual(parseReference(`x/y@${d}`), { registry: 'docker.io', repository: 'x/y', digest: d });
  assert.equal(formatReference(parseReference('library/nginx:1')), 'nginx:1');
  assert.ok(sameRepository(parseReference('nginx'), parseReference('docker.io/library/nginx:1.25')));
});

test('the RepoDigest of the repository a container runs', () => {
  const d = `sha256:${'b'.repeat(64)}`;
  const digests = [`10.213.7.1:5000/tarscloud/framework@sha256:${'a'.repeat(64)}`, `tarscloud/framework@${d}`, 'garbage@@'];
  assert.equal(repoDigestFor('docker.io/tarscloud/framework:v3.0.14', digests), d);
  assert.equal(repoDigestFor('10.213.7.1:5000/tarscloud/framework:v3.0.14', digests), `sha256:${'a'.repeat(64)}`);
  assert.equal(repoDigestFor('tarscloud/tars-node:latest', digests), null);
});

test('bad references are input errors', () => {
  assert.throws(() => parseReference('Tarscloud/Framework'), InputError);
  assert.throws(() => parseReference('x/y:bad tag'), InputError);
  assert.throws(() => parseReference(''), InputError);
});

test('plain HTTP only for loopback and listed registries', () => {
  assert.equal(isInsecureRegistry('127.0.0.1:5591'), true);
  assert.equal(isInsecureRegistry('localhost:5000'), true);
  assert.equal(isInsecureRegistry('[::1]:5000'), true);
  assert.equal(isInsecureRegistry('10.213.7.1:5000'), false);
  assert.equal(isInsecureRegistry('10.213.7.1:5000', ['10.213.7.1:5000']), true);
  assert.equal(isInsecureRegistry('10.213.7.1:5001', ['10.213.7.1:5000']), false);
  assert.equal(isInsecureRegistry('10.213.7.1:5001', ['10.213.7.0/24']), true);
  assert.equal(isInsecureRegistry('10.213.8.1:5001', ['10.213.7.0/24']), false);
  assert.equal(isInsecureRegistry('reg.lab', ['reg.lab']), true);
  assert.throws(() => isInsecureRegistry('10.0.0.1', ['fe80::/10']), InputError);
  assert.equal(registryBaseUrl('10.213.7.1:5000'), 'https://10.213.7.1:5000');
  assert.equal(registryBaseUrl('10.213.7.1:5000', ['10.213.7.1:5000']), 'http://10.213.7.1:5000');
  assert.equal(registryBaseUrl('http://mirror.lab:5000/'), 'http://mirror.lab:5000');
});
