import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeVersion,
  parseFrameworkVersionFile,
  parseWebPackage,
  parseWebVersionAnswer,
  versionLabel,
} from '../../src/cluster/inner-versions.js';
import { assertDirection } from '../../src/rollout/preflight.js';

describe('inner versions of a framework image', () => {
  it('reads FRAMEWORK_VERSION.txt with or without a newline; empty or odd is none', () => {
    assert.equal(parseFrameworkVersionFile('3.0.12'), '3.0.12');
    assert.equal(parseFrameworkVersionFile('2.4.17\n'), '2.4.17');
    assert.equal(parseFrameworkVersionFile(undefined), undefined);
    assert.equal(parseFrameworkVersionFile('\n'), undefined);
    assert.equal(parseFrameworkVersionFile('<html>'), undefined);
  });

  it("reads TarsWeb's package.json version; broken JSON or no version is none", () => {
    assert.equal(parseWebPackage('{"name":"tars-node-web","version":"2.4.27"}'), '2.4.27');
    assert.equal(parseWebPackage('{"name":"tars-node-web"}'), undefined);
    assert.equal(parseWebPackage('{"version":'), undefined);
    assert.equal(parseWebPackage(undefined), undefined);
  });

  it('accepts /web_version as JSON (TarsWeb 2.4.16+) and as a plain string (before)', () => {
    assert.deepEqual(parseWebVersionAnswer('{"webVersion":"3.0.12","frameworkVersion":"3.0.12"}'), { webVersion: '3.0.12', frameworkVersion: '3.0.12' });
    assert.deepEqual(parseWebVersionAnswer('{"webVersion":"2.4.16"}'), { webVersion: '2.4.16' });
    assert.deepEqual(parseWebVersionAnswer('2.4.13'), { webVersion: '2.4.13' });
    assert.deepEqual(parseWebVersionAnswer('"2.4.13"\n'), { webVersion: '2.4.13' });
    assert.deepEqual(parseWebVersionAnswer('v2.4.10'), { webVersion: 'v2.4.10' });
    // an answer is an answer even when it names no version
    assert.deepEqual(parseWebVersionAnswer('<html>TarsWeb</html>'), {});
    assert.deepEqual(parseWebVersionAnswer('{"webVersion":null}'), {});
  });
});

describe('naming a host version', () => {
  it('is the image tag when that is a version tag, else tag@digest', () => {
    assert.equal(versionLabel('v3.0.16', 'sha256:0123456789abcdef0123'), 'v3.0.16');
    assert.equal(versionLabel('latest', 'sha256:0123456789abcdef0123'), 'latest@sha256:0123456789ab');
    assert.equal(versionLabel(undefined, 'sha256:0123456789abcdef0123'), '@sha256:0123456789ab');
    assert.equal(versionLabel('latest', undefined), 'latest');
  });

  it('shows the inner versions beside it, only those known', () => {
    assert.equal(describeVersion('v3.0.16', { frameworkVersion: '3.0.12', webVersion: '3.0.12' }), 'v3.0.16 (framework 3.0.12, web 3.0.12)');
    assert.equal(describeVersion('v2.4.15', { frameworkVersion: null, webVersion: '2.4.13' }), 'v2.4.15 (web 2.4.13)');
    assert.equal(describeVersion('v2.4.2', {}), 'v2.4.2');
    assert.equal(describeVersion('latest@sha256:0123456789ab', { tarsnodeVersion: '3.0.12' }), 'latest@sha256:0123456789ab (tarsnode 3.0.12)');
  });

  it('the downgrade guard compares tags, never an inner version', () => {
    // v3.0.16 carries TarsFramework 3.0.12: read as a version, it would make v3.0.14 look like an upgrade
    assert.throws(() => assertDirection('v3.0.16', 'v3.0.14', false), /older than the running v3\.0\.16/);
    assert.deepEqual(assertDirection('latest', 'v3.0.14', false), { check: 'direction', detail: 'unknown -> v3.0.14' });
  });
});
