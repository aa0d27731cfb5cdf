// check's verdicts that need a registry to change under a running host: a moving tag re-pushed (`moved`) and a
// prerelease only --pre admits. The tags live in test repositories of the lab registry; the host is a spare lab
// host outside the cluster, with a container made by hand, so the cluster itself is never touched.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
