import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { RegistryError } from '../../src/registry/errors.js';
import { checkExitCode } from '../../src/versions/check-report.js';
import { runCheck } from '../../src/versions/run-check.js';
import { freePort, pushImage, startRegistry, type LocalRegistry } from './fixtures.js';

// Like the lab's basic-auth registry: framework at several versions, tars-node only under moving tags.
let reg: LocalRegistry;
const digests: Record<string, string> = {};
let framework = '';
let node = '';
const client = (): RegistryClient => new RegistryClient({ dockerConfig: false, credentials: { [reg.host]: reg.auth! } });
const hostsAt = (tag: string): { name: string; image: string; digest: string }[] =>
  ['master', 'slave-1', 'slave-2'].map((name) => ({ name, image: `${framework}:${tag}`, digest: digests[tag]! }));

before(async () => {
  reg = await startRegistry({ auth: { username: 'lab', password: 'lab-pass-5001' } });
  framework = `${reg.host}/tarscloud/framework`;
  node = `${reg.host}/tarscloud/tars-node`;
  for (const tag of ['v3.0.14', 'v3.0.15', 'v3.0.16', 'v3.0.17', 'v3.1.0-rc.1', 'latest']) digests[tag] = await pushImage(reg, 'tarscloud/framework', tag);
  digests.nodeLatest = await pushImage(reg, 'tarscloud/tars-node', 'latest', 'node-1');
});
after(() => reg?.stop());

test('lab at v3.0.14: v3.0.17 newest, every host behind, exit 10; five registry requests', async () => {
  const report = await runCheck(client(), { images: [framework], hosts: hostsAt('v3.0.14') });
  assert.deepEqual(report.images, [{ image: framework, newest: 'v3.0.17', digest: digests['v3.0.17'], tags: 6, versionTags: 5, moving: [] }]);
  assert.deepEqual(report.hosts.map((h) => h.verdict), ['behind', 'behind', 'behind']);
  assert.equal(checkExitCode(report), 10);
  // probe, probe with basic auth, one tag page, HEAD v3.0.17, HEAD v3.0.14
  assert.equal(report.registry?.requests, 5);
});

test('--exclude and --pre change the newest', async () => {
  const excluded = await runCheck(client(), { images: [framework], hosts: hostsAt('v3.0.14'), policy: { exclude: '3\\.0\\.17' } });
  assert.equal(excluded.images[0]!.newest, 'v3.0.16');
  assert.equal(excluded.images[0]!.digest, digests['v3.0.16']);
  const pre = await runCheck(client(), { images: [framework], hosts: hostsAt('v3.0.17'), policy: { pre: true } });
  assert.equal(pre.images[0]!.newest, 'v3.1.0-rc.1');
  assert.deepEqual(pre.hosts.map((h) => h.verdict), ['behind', 'behind', 'behind']);
});

test('after the upgrade every host is up to date and the exit code is 0', async () => {
  const report = await runCheck(client(), { images: [framework], hosts: hostsAt('v3.0.17') });
  assert.deepEqual(report.hosts.map((h) => h.verdict), ['up-to-date', 'up-to-date', 'up-to-date']);
  assert.equal(report.updateAvailable, false);
  assert.equal(checkExitCode(report), 0);
});

test('a re-pushed latest is reported as moved', async () => {
  const hosts = [{ name: 'node-1', image: `${node}:latest`, digest: digests.nodeLatest! }];
  const before = await runCheck(client(), { images: [framework, node], hosts });
  assert.equal(before.hosts[0]!.verdict, 'up-to-date');
  const repushed = await pushImage(reg, 'tarscloud/tars-node', 'latest', 'node-2');
  const after = await runCheck(client(), { images: [framework, node], hosts });
  assert.equal(after.hosts[0]!.verdict, 'moved');
  assert.deepEqual(after.images[1], { image: node, newest: null, digest: null, tags: 1, versionTags: 0, moving: [{ tag: 'latest', digest: repushed }] });
  assert.equal(checkExitCode(after), 10);
});

test('an unreachable registry rejects the check with the registry named', async () => {
  const port = await freePort();
  await assert.rejects(
    runCheck(client(), { images: [framework, `127.0.0.1:${port}/tarscloud/framework`], hosts: [] }),
    (e: unknown) => e instanceof RegistryError && e.message.startsWith(`registry 127.0.0.1:${port}: unreachable`),
  );
});
