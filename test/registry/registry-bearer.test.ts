import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { RegistryError } from '../../src/registry/errors.js';
import { pushImage, startBearer, startPaginating, startRegistry, type BearerSetup, type LocalRegistry } from './fixtures.js';

let upstream: LocalRegistry;
let pager: Awaited<ReturnType<typeof startPaginating>>;
let open: BearerSetup;
let closed: BearerSetup;
const pushed: Record<string, string> = {};

before(async () => {
  upstream = await startRegistry();
  for (const tag of ['v3.0.14', 'v3.0.15', 'v3.0.16', 'v3.0.17', 'latest']) pushed[tag] = await pushImage(upstream, 'tarscloud/framework', tag);
  await pushImage(upstream, 'tarscloud/tars-node', 'latest');
  pager = await startPaginating(upstream, { pageSize: 2 });
  open = await startBearer(pager, { anonymous: true });
  closed = await startBearer(pager, { anonymous: false, users: { robot: 'robot-pass-77' } });
});
after(async () => {
  for (const b of [open, closed]) await Promise.all([b?.registry.stop(), b?.tokens.stop()]);
  await pager?.stop();
  await upstream?.stop();
});

test('anonymous bearer: challenge, token per scope, cached across requests', async () => {
  const client = new RegistryClient({ dockerConfig: false });
  const image = `${open.registry.host}/tarscloud/framework`;
  assert.equal((await client.listTags(image)).length, 5);
  const tags = ['v3.0.14', 'v3.0.15', 'v3.0.16', 'v3.0.17', 'latest'];
  assert.deepEqual(await Promise.all(tags.map((t) => client.digest(image, t))), tags.map((t) => pushed[t]));
  assert.equal(open.tokens.issued, 1, 'one token for repository:tarscloud/framework:pull');
  assert.equal(client.stats.tokenRequests, 1);
  assert.equal(client.stats.requests, 1 + 1 + 3 + 5, 'probe + token + 3 pages + 5 HEADs');
  await client.listTags(`${open.registry.host}/tarscloud/tars-node`);
  assert.equal(open.tokens.issued, 2, 'another scope, another token');
});

test('bearer with basic credentials at the token server', async () => {
  const image = `${closed.registry.host}/tarscloud/framework`;
  const client = new RegistryClient({ dockerConfig: false, credentials: { [closed.registry.host]: { username: 'robot', password: 'robot-pass-77' } } });
  assert.match(pushed['v3.0.17']!, /^sha256:[0-9a-f]{64}$/);
  assert.equal(await client.digest(image, 'v3.0.17'), pushed['v3.0.17']);
});

test('wrong credentials at the token server: one line naming registry, token server and user', async () => {
  const image = `${closed.registry.host}/tarscloud/framework`;
  const client = new RegistryClient({ dockerConfig: false, credentials: { [closed.registry.host]: { username: 'robot', password: 'wrong-pass-1' } } });
  await assert.rejects(client.listTags(image), (e: unknown) => {
    assert.ok(e instanceof RegistryError);
    assert.equal(e.message, `registry ${closed.registry.host}: token server ${closed.tokens.host} refused user "robot" (401): authentication failed`);
    assert.equal(e.exitCode, 1);
    assert.ok(!e.message.includes('wrong-pass-1'));
    return true;
  });
  const anonymous = new RegistryClient({ dockerConfig: false });
  await assert.rejects(anonymous.listTags(image), /refused anonymous access \(401\)/);
});
