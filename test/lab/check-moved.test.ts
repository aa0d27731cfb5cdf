// check's verdicts that need a registry to change under a running host: a moving tag re-pushed (`moved`) and a
// prerelease only --pre admits. The tags live in test repositories of the lab registry; the host is a spare lab
// host outside the cluster, with a container made by hand, so the cluster itself is never touched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readLabInfra } from '../../src/lab/index.js';
import type { LabHost } from '../../src/lab/types.js';
import { cli, LAB_DIR, LAB_ENV, LAB_INVENTORY } from '../support/lab.js';
import { copyTag } from '../support/registry-copy.js';
import { emptyHost, engineOf, spareHost } from '../support/spare-host.js';

const NODE_REPO = 'tdtest/tars-node';
const FRAMEWORK_REPO = 'tdtest/framework';
const PROJECT = 'tdmoved';

interface CheckDoc {
  images: { image: string; newest: string | null; digest: string | null }[];
  hosts: { name: string; verdict: string; reason: string }[];
}

describe('check against tags that move', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-moved-'));
  let registry = '';
  let spare: LabHost;
  let envFile = '';
  let inventory = '';

  const check = async (args: string[]) => {
    const r = await cli(['--json', 'check', ...args], { envFile, inventory });
    return { code: r.code, doc: JSON.parse(r.stdout || '{}') as CheckDoc, stderr: r.stderr };
  };

  before(async () => {
    registry = (await readLabInfra(LAB_DIR)).registry.plain;
    for (const tag of ['v3.0.14', 'v3.0.16']) await copyTag(registry, 'tarscloud/framework', tag, FRAMEWORK_REPO, tag);
    await copyTag(registry, 'tarscloud/framework', 'v3.0.16', FRAMEWORK_REPO, 'v3.0.18-rc.1');
    await copyTag(registry, 'tarscloud/tars-node', 'cpp', NODE_REPO, 'stable');

    spare = await spareHost();
    const text = readFileSync(LAB_ENV, 'utf8')
      .replace(/^NODE_IMAGE=.*$/m, `NODE_IMAGE=${registry}/${NODE_REPO}`)
      .replace(/^NODE_TAG=.*$/m, 'NODE_TAG=stable')
      .replace(/^FRAMEWORK_IMAGE=.*$/m, `FRAMEWORK_IMAGE=${registry}/${FRAMEWORK_REPO}`);
    envFile = join(dir, '.env');
    writeFileSync(envFile, text, { mode: 0o600 });
    // The lab's master (which runs nothing of this project) and the spare host as the one node.
    const lab = readFileSync(LAB_INVENTORY, 'utf8');
    const master = /  - name: h1\n(?:    .*\n)+?(?=  - name:)/.exec(lab)![0];
    inventory = join(dir, 'tars-docker.yml');
    writeFileSync(inventory, `project: ${PROJECT}\nhosts:\n${master}  - name: n-moved\n    role: node\n    address: ${spare.address}\n    docker:\n      endpoint: ${spare.endpoints.unix}\n`);

    const docker = engineOf(spare);
    const image = `${registry}/${NODE_REPO}:stable`;
    await new Promise<void>((ok, fail) => docker.pull(image, (err: Error | null, stream: NodeJS.ReadableStream) => (err ? fail(err) : docker.modem.followProgress(stream, (e) => (e ? fail(e) : ok()))))); 
    const c = await docker.createContainer({
      Image: image, name: 'tars-node', Entrypoint: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1e9)'], HostConfig: { NetworkMode: 'host' },
      Labels: { 'io.tars-docker.project': PROJECT, 'io.tars-docker.host': 'n-moved', 'io.tars-docker.role': 'node', 'io.tars-docker.version': 'stable' },
    });
    await c.start();
  });
  after(async () => {
    if (spare) await emptyHost(spare);
  });

  it('a node on a moving tag is up to date while the tag stays, and `moved` (exit 10) once it is re-pushed', async () => {
    const same = await check(['--image', 'node']);
    assert.equal(same.code, 0, same.stderr + JSON.stringify(same.doc));
    assert.deepEqual(same.doc.hosts.map((h) => `${h.name} ${h.verdict}`), ['n-moved up-to-date']);

    // tars-node has no version tags; another flavour's image is a digest the tag did not have
    const moved = await copyTag(registry, 'tarscloud/tars-node', 'full', NODE_REPO, 'stable');
    try {
      const r = await check(['--image', 'node']);
      assert.equal(r.code, 10, r.stderr);
      assert.deepEqual(r.doc.hosts.map((h) => `${h.name} ${h.verdict}`), ['n-moved moved']);
      assert.match(r.doc.hosts[0]!.reason, new RegExp(`now points at sha256:${moved.slice(7, 19)}`));
    } finally {
      await copyTag(registry, 'tarscloud/tars-node', 'cpp', NODE_REPO, 'stable');
    }
  });

  it('a prerelease counts only with --pre', async () => {
    const plain = await check(['--image', 'framework']);
    assert.deepEqual(plain.doc.images.map((i) => i.newest), ['v3.0.16'], plain.stderr);
    const pre = await check(['--image', 'framework', '--pre']);
    assert.deepEqual(pre.doc.images.map((i) => i.newest), ['v3.0.18-rc.1'], pre.stderr);
  });

  it('watch --once tells a prerelease only with --pre; without --state it remembers in /var/lib/tars-docker', async () => {
    const told: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        told.push((JSON.parse(body) as { text: string }).text);
        res.end('ok');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const notify = ['--notify', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`];
    const watch = (args: string[]) => cli(['watch', '--once', '--image', 'framework', ...notify, ...args], { envFile, inventory });
    // the default state file is the machine's: an operator's own is set aside and put back
    const DEFAULT_STATE = '/var/lib/tars-docker/watch-state.json';
    const kept = `${DEFAULT_STATE}.td-test-${process.pid}`;
    const hadFolder = existsSync(dirname(DEFAULT_STATE));
    if (existsSync(DEFAULT_STATE)) renameSync(DEFAULT_STATE, kept);
    try {
      const plain = await watch(['--state', join(dir, 'pre-state.json')]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(told.length, 1, told.join('\n'));
      assert.match(told[0]!, /newest version is v3\.0\.16\b/);
      const pre = await watch(['--pre']);
      assert.equal(pre.code, 0, pre.stderr);
      assert.equal(told.length, 2, told.join('\n'));
      assert.match(told[1]!, /newest version is v3\.0\.18-rc\.1\b/);
      const remembered = JSON.parse(readFileSync(DEFAULT_STATE, 'utf8')) as { delivered: Record<string, string[]> };
      assert.ok(Object.values(remembered.delivered).flat().some((k) => k.endsWith('|v3.0.18-rc.1')), JSON.stringify(remembered));
      assert.equal(statSync(DEFAULT_STATE).mode & 0o077, 0, 'the state file is its owner\'s only');
      const again = await watch(['--pre']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(told.length, 2, 'told once: the default state file remembered it');
    } finally {
      receiver.close();
      rmSync(DEFAULT_STATE, { force: true });
      if (existsSync(kept)) renameSync(kept, DEFAULT_STATE);
      if (!hadFolder) rmSync(dirname(DEFAULT_STATE), { recursive: true, force: true });
    }
  });
});
