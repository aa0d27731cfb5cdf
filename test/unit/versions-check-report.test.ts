import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCheckReport, checkExitCode, type ImageObservation } from '../../src/versions/check-report.js';
import { hostVerdict, tagMoved } from '../../src/versions/verdict.js';

const D = (c: string): string => `sha256:${c.repeat(64)}`;

const framework: ImageObservation = {
  image: '10.213.7.1:5000/tarscloud/framework',
  tags: ['v3.0.14', 'v3.0.16', 'v3.0.17', 'latest'],
  digests: { 'v3.0.17': D('7'), 'v3.0.14': D('4'), latest: D('b') },
};
const node: ImageObservation = { image: 'tarscloud/tars-node', tags: ['latest', 'stable'], digests: { latest: D('c') } };

test('verdicts', () => {
  const base = { runningDigest: null, registryDigest: null, newest: 'v3.0.17' };
  assert.equal(hostVerdict({ ...base, running: 'v3.0.14' }).verdict, 'behind');
  assert.equal(hostVerdict({ ...base, running: 'v3.0.17' }).verdict, 'up-to-date');
  assert.equal(hostVerdict({ ...base, running: '3.0.17' }).verdict, 'up-to-date');
  assert.equal(hostVerdict({ ...base, running: 'v3.1.0-rc.1' }).verdict, 'ahead');
  assert.equal(hostVerdict({ ...base, running: null }).verdict, 'unknown');
  assert.equal(hostVerdict({ ...base, running: 'latest' }).verdict, 'unknown');
  assert.equal(hostVerdict({ running: 'latest', runningDigest: D('a'), registryDigest: D('a'), newest: null }).verdict, 'up-to-date');
  assert.equal(hostVerdict({ running: 'latest', runningDigest: D('a'), registryDigest: D('b'), newest: null }).verdict, 'moved');
  assert.equal(hostVerdict({ running: 'v3.0.17', runningDigest: D('a'), registryDigest: D('b'), newest: 'v3.0.17' }).verdict, 'moved');
  assert.equal(hostVerdict({ running: 'v3.0.14', runningDigest: null, registryDigest: null, newest: null }).verdict, 'unknown');
  assert.equal(tagMoved(D('a'), D('b')), true);
  assert.equal(tagMoved(undefined, D('b')), false);
  assert.equal(tagMoved(D('a'), D('a')), false);
});

test('report: behind hosts make an update available', () => {
  const report = buildCheckReport(
    [framework, node],
    [
      { name: 'master', role: 'master', image: '10.213.7.1:5000/tarscloud/framework:v3.0.14', digest: D('4') },
      { name: 'slave', image: '10.213.7.1:5000/tarscloud/framework:v3.0.17', digest: D('7') },
      { name: 'node-1', image: 'docker.io/tarscloud/tars-node:latest', digest: D('a') },
      { name: 'node-2', image: 'tarscloud/tars-node:latest', digest: D('c') },
      { name: 'down', image: null, error: 'docker unreachable' },
      { name: 'other', image: 'nginx:1.25' },
    ],
  );
  assert.deepEqual(report.images, [
    { image: '10.213.7.1:5000/tarscloud/framework', newest: 'v3.0.17', digest: D('7'), tags: 4, versionTags: 3, moving: [{ tag: 'latest', digest: D('b') }] },
    { image: 'tarscloud/tars-node', newest: null, digest: null, tags: 2, versionTags: 0, moving: [{ tag: 'latest', digest: D('c') }] },
  ]);
  assert.deepEqual(
    report.hosts.map((h) => [h.name, h.image, h.running, h.verdict]),
    [
      ['master', '10.213.7.1:5000/tarscloud/framework', 'v3.0.14', 'behind'],
      ['slave', '10.213.7.1:5000/tarscloud/framework', 'v3.0.17', 'up-to-date'],
      ['node-1', 'tarscloud/tars-node', 'latest', 'moved'],
      ['node-2', 'tarscloud/tars-node', 'latest', 'up-to-date'],
      ['down', null, null, 'unknown'],
      ['other', 'nginx', '1.25', 'unknown'],
    ],
  );
  assert.equal(report.hosts[0]!.role, 'master');
  assert.equal(report.hosts[4]!.reason, 'docker unreachable');
  assert.equal(report.updateAvailable, true);
  assert.equal(checkExitCode(report), 10);
});

test('report: everyone on the newest exits 0; policy changes the newest', () => {
  const hosts = [{ name: 'm', image: '10.213.7.1:5000/tarscloud/framework:v3.0.16', digest: null }];
  const excluded = buildCheckReport([framework], hosts, { exclude: '3\\.0\\.17' });
  assert.equal(excluded.images[0]!.newest, 'v3.0.16');
  assert.equal(excluded.hosts[0]!.verdict, 'up-to-date');
  assert.equal(checkExitCode(excluded), 0);
  const plain = buildCheckReport([framework], hosts);
  assert.equal(plain.hosts[0]!.verdict, 'behind');
});
