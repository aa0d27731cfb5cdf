import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RegistryClient } from '../../src/registry/client.js';
import { runCheck } from '../../src/versions/run-check.js';
import { createNotifier } from '../../src/watch/notifiers.js';
import { runWatch } from '../../src/watch/run-watch.js';
import { pushImage, startReceiver, startRegistry, type LocalRegistry, type Receiver } from './fixtures.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let reg: LocalRegistry;
let receiver: Receiver;
let dir: string;
let stateFile: string;

before(async () => {
  [reg, receiver] = await Promise.all([startRegistry(), startReceiver()]);
  dir = await mkdtemp(join(tmpdir(), 'tars-docker-watch-it-'));
  stateFile = join(dir, 'state', 'watch.json');
  for (const tag of ['v3.0.14', 'v3.0.16', 'v3.0.17']) await pushImage(reg, 'tarscloud/framework', tag);
});
after(async () => {
  await Promise.all([reg?.stop(), receiver?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

function watchOnce(notifyUrl: string): ReturnType<typeof runWatch> {
  const client = new RegistryClient({ dockerConfig: false });
  const image = `${reg.host}/tarscloud/framework`;
  return runWatch({
    once: true,
    stateFile,
    notifiers: [createNotifier(notifyUrl)],
    log: () => {},
    checkOnce: () => runCheck(client, { images: [image], hosts: [{ name: 'master', image: `${image}:v3.0.14` }] }),
  });
}

/** The same --once run in a fresh process: only the state file connects it to the runs before. */
async function watchOnceInChild(notifyUrl: string): Promise<string> {
  const code = `
    const { RegistryClient } = await import(${JSON.stringify(join(root, 'src/registry/client.ts'))});
    const { runCheck } = await import(${JSON.stringify(join(root, 'src/versions/run-check.ts'))});
    const { createNotifier } = await import(${JSON.stringify(join(root, 'src/watch/notifiers.ts'))});
    const { runWatch } = await import(${JSON.stringify(join(root, 'src/watch/run-watch.ts'))});
    const client = new RegistryClient({ dockerConfig: false });
    const image = ${JSON.stringify(`${reg.host}/tarscloud/framework`)};
    await runWatch({ once: true, stateFile: ${JSON.stringify(stateFile)}, notifiers: [createNotifier(${JSON.stringify(notifyUrl)})],
      log: (l) => console.log(l),
      checkOnce: () => runCheck(client, { images: [image], hosts: [{ name: 'master', image: image + ':v3.0.14' }] }) });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root });
  return stdout;
}

test('watch --once: notify once, once more for a new version, state survives a restart', async () => {
  const url = `slack+${receiver.url}/services/x`;
  await watchOnce(url);
  await watchOnce(url);
  assert.equal(receiver.posts.length, 1, 'unchanged registry: one notification');
  const first = receiver.posts[0]!.body as { text: string };
  assert.match(first.text, /newest version is v3\.0\.17/);
  assert.match(first.text, /host master: behind, runs v3\.0\.14, newest is v3\.0\.17/);

  await pushImage(reg, 'tarscloud/framework', 'v3.0.18');
  await watchOnce(url);
  assert.equal(receiver.posts.length, 2, 'a new version: one more');
  assert.match((receiver.posts[1]!.body as { text: string }).text, /v3\.0\.18/);

  const out = await watchOnceInChild(url);
  assert.equal(receiver.posts.length, 2, 'a new process remembers what was announced');
  assert.match(out, /nothing new to announce/);

  await pushImage(reg, 'tarscloud/framework', 'v3.0.19');
  await watchOnceInChild(url);
  assert.equal(receiver.posts.length, 3);
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as { delivered: Record<string, string[]> };
  assert.deepEqual(Object.values(state.delivered)[0], [
    `drift|master|behind|${reg.host}/tarscloud/framework:v3.0.14|v3.0.19|`,
    `version|${reg.host}/tarscloud/framework|v3.0.19`,
  ]);
});
