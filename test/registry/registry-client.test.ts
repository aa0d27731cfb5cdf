import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { RegistryError } from '../../src/registry/errors.js';
import { freePort, pushImage, pushIndex, startPaginating, startRegistry, type LocalRegistry } from './fixtures.js';

const REPO = 'tarscloud/framework';
const TAGS = ['v2.4.27', 'v3.0.12', 'v3.0.13', 'v3.0.14', 'v3.0.15', 'v3.0.16', 'v3.0.17', 'v3.1.0-rc.1', 'latest', 'stable', 'master'];
let plain: LocalRegistry;
let secured: LocalRegistry;
let pager: Awaited<ReturnType<typeof startPaginating>>;
let multiDigest = '';
let v17Digest = '';
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tars-docker-client-'));
  [plain, secured] = await Promise.all([startRegistry(), startRegistry({ auth: { username: 'lab', password: 'lab-pass-5001' } })]);
  for (const tag of TAGS) {
    const d = await pushImage(plain, REPO, tag);
    if (tag === 'v3.0.17') v17Digest = d;
    await pushImage(secured, REPO, tag);
  }
  multiDigest = await pushIndex(plain, REPO, 'multi');
  pager = await startPaginating(plain, { pageSize: 3 });
});
after(async () => {
  await pager?.stop();
  await Promise.all([plain?.stop(), secured?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

test('tags spanning several pages are all listed, following Link', async () => {
  const client = new RegistryClient({ dockerConfig: false });
  const tags = await client.listTags(`${pager.host}/${REPO}`);
  assert.deepEqual([...tags].sort(), [...TAGS, 'multi'].sort());
  assert.equal(pager.pages, 4, '12 tags at 3 a page');
  assert.equal(client.stats.requests, 5, 'one /v2/ probe + 4 pages');
});

test('manifest HEAD gives the index digest for multi-arch and the manifest digest otherwise', async () => {
  const client = new RegistryClient({ dockerConfig: false });
  const image = `${pager.host}/${REPO}`;
  assert.equal(await client.digest(image, 'multi'), multiDigest);
  assert.equal(await client.digest(image, 'v3.0.17'), v17Digest);
  assert.equal(await client.digest(image, 'v9.9.9'), null);
  assert.ok(!pager.paths.some((p) => p.includes('/blobs/')), 'never a blob');
  assert.ok(pager.paths.filter((p) => p.includes('/manifests/')).every((p) => p.startsWith('HEAD ')));
});

test('basic auth with credentials from .env or from docker config.json', async () => {
  const image = `${secured.host}/${REPO}`;
  const fromEnv = new RegistryClient({ dockerConfig: false, credentials: { [secured.host]: { username: 'lab', password: 'lab-pass-5001' } } });
  assert.equal((await fromEnv.listTags(image)).length, TAGS.length);
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify({ auths: { [`http://${secured.host}`]: { auth: Buffer.from('lab:lab-pass-5001').toString('base64') } } }));
  const fromDocker = new RegistryClient({ dockerConfig: configFile });
  assert.equal((await fromDocker.listTags(image)).length, TAGS.length);
});

test('wrong credentials: one clear line, exit code 1, no password', async () => {
  const client = new RegistryClient({ dockerConfig: false, credentials: { [secured.host]: { username: 'lab', password: 'not-the-password' } } });
  await assert.rejects(client.listTags(`${secured.host}/${REPO}`), (e: unknown) => {
    assert.ok(e instanceof RegistryError);
    assert.equal(e.message, `registry ${secured.host}: authentication failed for user "lab" (401)`);
    assert.equal(e.exitCode, 1);
    return true;
  });
  const anonymous = new RegistryClient({ dockerConfig: false });
  await assert.rejects(anonymous.listTags(`${secured.host}/${REPO}`), /^RegistryError: registry 127\.0\.0\.1:\d+: requires credentials \(basic auth\)/);
});

test('a Docker Hub image goes to the mirror first and never to the origin', async () => {
  const hubPort = await freePort();
  const client = new RegistryClient({ dockerConfig: false, mirror: plain.url, dockerHubUrl: `http://127.0.0.1:${hubPort}` });
  assert.equal(await client.digest(REPO, 'v3.0.17'), v17Digest);
  assert.deepEqual(Object.keys(client.stats.byRegistry), [`mirror ${plain.host}`]);
});

test('a failing mirror falls back to the origin, with a log line', async () => {
  const deadPort = await freePort();
  const lines: string[] = [];
  const client = new RegistryClient({ dockerConfig: false, mirror: `http://127.0.0.1:${deadPort}`, dockerHubUrl: plain.url, log: (l) => lines.push(l) });
  assert.equal(await client.digest(REPO, 'v3.0.17'), v17Digest);
  assert.match(lines[0]!, /^registry mirror 127\.0\.0\.1:\d+: unreachable: connection refused .*; trying docker\.io$/);
  const ownRegistry = new RegistryClient({ dockerConfig: false, mirror: `http://127.0.0.1:${deadPort}` });
  assert.equal(await ownRegistry.digest(`${plain.host}/${REPO}`, 'v3.0.17'), v17Digest, 'mirror is for Docker Hub images only');
});
