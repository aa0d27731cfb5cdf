import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { isVersionTag, parseVersionTag } from '../../src/versions/parse.js';
import { candidateVersions, newestVersion, validatePolicy } from '../../src/versions/policy.js';

const TAGS = ['latest', 'stable', 'v2.4.27', 'v3.0.9', 'v3.0.14', 'v3.0.16', 'v3.0.17', '3.0.15', 'v3.1.0-rc.1', 'v3.0', 'master', 'v3.0.20+build.5'];

test('tags with and without v are versions; others are not', () => {
  assert.equal(parseVersionTag('v3.0.14')?.version.version, '3.0.14');
  assert.equal(parseVersionTag('3.0.14')?.version.version, '3.0.14');
  assert.equal(parseVersionTag('V1.2.3')?.version.version, '1.2.3');
  for (const t of ['latest', 'stable', 'v3.0', 'vv3.0.1', 'cpp', 'v3.0.14.1']) assert.equal(isVersionTag(t), false, t);
});

test('newest is semver order, not string order', () => {
  assert.deepEqual(
    candidateVersions(['v3.0.9', 'v3.0.10', 'v2.10.0', '3.0.2']).map((v) => v.tag),
    ['v3.0.10', 'v3.0.9', '3.0.2', 'v2.10.0'],
  );
  assert.equal(newestVersion(TAGS)?.tag, 'v3.0.20+build.5');
  assert.equal(newestVersion(['latest', 'stable']), null);
});

test('prereleases only with pre', () => {
  const tags = ['v3.0.17', 'v3.1.0-rc.1', 'v3.1.0-beta.2'];
  assert.equal(newestVersion(tags)?.tag, 'v3.0.17');
  assert.equal(newestVersion(tags, { pre: true })?.tag, 'v3.1.0-rc.1');
});

test('include and exclude filters', () => {
  const tags = ['v3.0.14', 'v3.0.16', 'v3.0.17', 'v2.4.27', 'v3.1.0'];
  assert.equal(newestVersion(tags, { exclude: '3\\.0\\.17' })?.tag, 'v3.1.0');
  assert.equal(newestVersion(tags, { include: '^v3\\.0\\.', exclude: '3\\.0\\.17' })?.tag, 'v3.0.16');
  assert.equal(newestVersion(tags, { include: /^v2\./ })?.tag, 'v2.4.27');
  assert.equal(newestVersion(tags, { include: 'nothing-matches' }), null);
});

test('a bad regex is an input error naming the flag', () => {
  assert.throws(() => validatePolicy({ exclude: '(' }), (e: unknown) => e instanceof InputError && /--exclude "\(" is not a valid regular expression/.test(e.message));
});
