// tars-node as the real image is: no version tags, the node tag is configuration (latest), a node fetches tarsnode
// from the master's web at every start, and its deployed services live in /data/tars. The cluster runs its nodes
// from a repository of this test (so re-pushing `latest` there moves nobody else's tag), installed once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pack } from 'tar-stream';
import { loadConfig } from '../../src/config/load.js';
import type { Config, HostConfig } from '../../src/config/types.js';
import { openConnection } from '../../src/db/connection.js';
import { readLabInfra } from '../../src/lab/index.js';
import { cli, LAB_DIR, LAB_ENV, LAB_INVENTORY, snapshotContainers, wipeCluster } from '../support/lab.js';
import { dockerRun, withEngine } from '../support/hand-made.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import { copyTag } from '../support/registry-copy.js';
import { pushNodeRelease } from '../support/node-release.js';
import { sleep } from '../support/rollout.js';

const REPO = 'tdnode/tarscloud/tars-node';
const FROM = 'v3.0.14';
const TO = 'v3.0.16';
const SERVICE = { app: 'DemoApp', server: 'HelloServer' };

describe('nodes on a moving tag, their data in /data/tars', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-node-tag-'));
  const envFile = join(dir, '.env');
  let registry = '';
  let config: Config;
  const nodes = () => config.hosts.filter((h) => h.role === 'node');
  const run = (args: string[]) => cli(args, { envFile, inventory: LAB_INVENTORY });
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const db = await openConnection(config.mysql, { values: 'native' });
    try {
      return ((await db.query(sql, params)) as unknown as [T[]])[0];
    } finally {
      await db.end();
    }
  };
  /** The safety net of an event wait: the row a stand-in writes on its next keep-alive pass. */
  const until = async (what: string, ok: () => Promise<boolean>, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`never: ${what}`);
      await sleep(250);
    }
  };
  const presentState = async (host: HostConfig, server = SERVICE.server) =>
    (await query<{ s: string }>(`SELECT present_state AS s FROM db_tars.t_server_conf WHERE node_name = ? AND application = ? AND server_name = ?`, [host.address, SERVICE.app, server]))[0]?.s;

  before(async () => {
    registry = (await readLabInfra(LAB_DIR)).registry.plain;
    await copyTag(registry, 'tarscloud/tars-node', 'latest', REPO, 'latest');
    const text = readFileSync(LAB_ENV, 'utf8').replace(/^NODE_IMAGE=.*$/m, `NODE_IMAGE=${registry}/${REPO}`).replace(/^NODE_TAG=.*$/m, 'NODE_TAG=latest');
    writeFileSync(envFile, text, { mode: 0o600 });
    config = loadConfig({ envFile, inventory: LAB_INVENTORY });
    await wipeCluster(config);
    const r = await run(['--json', 'install', '--version', FROM]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    // the nodes run this test's repository and one a container made by hand: later files must install their own
    await wipeCluster(config);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`upgrade to ${TO} restarts every node in place (latest did not move), each proven by a heartbeat after its restart`, async () => {
    const dry = await run(['upgrade', '--to', TO, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    for (const n of nodes()) {
      assert.match(dry.stdout, new RegExp(`restart ${n.name} +\\S+/${REPO}:latest  \\(the master moves to ${TO} and tarsnode is downloaded from its web at every start; latest still points at sha256:\\w{12}\\)`), dry.stdout);
    }
    assert.match(dry.stdout, /restarted in place, the same container \w{12} \S+:latest; nothing recreated, nothing pulled/);
    assert.doesNotMatch(dry.stdout, new RegExp(`pull +h[34] `), 'nothing to pull for a node whose tag did not move');

    const before = await snapshotContainers(config);
    const since = await mysqlNow(config);
    const r = await run(['--json', 'upgrade', '--to', TO, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const now = await snapshotContainers(config);
    for (const n of nodes()) {
      const [was, is] = [before.find((c) => c.host === n.name)!, now.find((c) => c.host === n.name)!];
      assert.equal(is.id, was.id, `${n.name}: the same container`);
      assert.notEqual(is.startedAt, was.startedAt, `${n.name}: started again`);
    }
    // every node heartbeats after the run's start with the tarsnode of v3.0.16's master (3.0.12)
    assert.deepEqual(await hostProblems({ version: TO, since, config }), []);
  });

  it('a new release of latest recreates the nodes; a service deployed on one still runs from its /data/tars', async () => {
    const node = nodes().at(-1)!;
    await deploy(node);
    await until(`${SERVICE.app}.${SERVICE.server} active on ${node.name}`, async () => (await presentState(node)) === 'active');
    const volumeBefore = await dataVolume(node);

    const released = await pushNodeRelease(registry, REPO, 'latest', `release-${Date.now()}`);
    const check = await run(['--json', 'check', '--image', 'node']);
    assert.equal(check.code, 10, check.stderr);
    const doc = JSON.parse(check.stdout) as { hosts: { name: string; verdict: string }[] };
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.verdict}`), nodes().map((n) => `${n.name} moved`));

    const dry = await run(['upgrade', '--to', TO, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`restart ${node.name} +\\S+:latest  \\(latest now points at sha256:${released.slice(7, 19)} \\(runs sha256:\\w{12}\\)\\)`), dry.stdout);
    assert.doesNotMatch(dry.stdout, /restart h1 /, 'the master stays');

    const since = await mysqlNow(config);
    const before = await snapshotContainers(config);
    const r = await run(['--json', 'upgrade', '--to', TO, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const now = await snapshotContainers(config);
    for (const n of nodes()) assert.notEqual(now.find((c) => c.host === n.name)!.id, before.find((c) => c.host === n.name)!.id, `${n.name} recreated`);
    assert.deepEqual(await hostProblems({ version: TO, since, config, hosts: nodes().map((n) => n.name) }), []);
    assert.equal(await dataVolume(node), volumeBefore, 'the new container has the old one\'s /data/tars volume');
    assert.equal(await presentState(node), 'active', 'the deployed service runs again');
    const log = await containerLog(node, now.find((c) => c.host === node.name)!.id!);
    assert.match(log, /DemoApp\.HelloServer: find server exe/);
    assert.doesNotMatch(log, /is not exist/);
  });

  it('a service whose files are not in /data/tars does not run: the node logs "exe is not exist" and status calls it unhealthy', async () => {
    const node = nodes()[0]!;
    await query(`INSERT INTO db_tars.t_server_conf (application, server_name, node_name, setting_state, present_state) VALUES (?, 'GhostServer', ?, 'active', 'active')`, [SERVICE.app, node.address]);
    try {
      await until('GhostServer reported inactive', async () => (await presentState(node, 'GhostServer')) === 'inactive');
      const id = (await snapshotContainers(config)).find((c) => c.host === node.name)!.id!;
      assert.match(await containerLog(node, id), /DemoApp\.GhostServer: server start error: \/usr\/local\/app\/tars\/tarsnode\/data\/DemoApp\.GhostServer\/bin\/GhostServer is not exist\./);
      const s = await run(['--json', 'status']);
      assert.equal(s.code, 1);
      const host = (JSON.parse(s.stdout) as { hosts: { name: string; healthy: boolean; problem?: string }[] }).hosts.find((h) => h.name === node.name)!;
      assert.deepEqual([host.healthy, host.problem], [false, 'deployed servers do not run: DemoApp.GhostServer (inactive)']);
    } finally {
      await query(`DELETE FROM db_tars.t_server_conf WHERE node_name = ? AND server_name = 'GhostServer'`, [node.address]);
    }
  });

  it('a recreate that would lose a node\'s /data/tars fails its gate ("exe is not exist") and puts the old container back', async () => {
    // an operator's node started without a volume for /data/tars: its deployed service lives in the container only
    const node = nodes()[0]!;
    const old = (await snapshotContainers(config)).find((c) => c.host === node.name)!.id!;
    await withEngine(node, (d) => d.getContainer(old).remove({ force: true }));
    const bare = await dockerRun(node, { name: 'tars-node', image: `${registry}/${REPO}:latest`, env: [`WEB_HOST=http://${config.hosts[0]!.address}:3000`, `DOMAIN=${node.address}`], binds: [] });
    await deploy(node);
    await until(`${SERVICE.app}.${SERVICE.server} active on the bare ${node.name}`, async () => (await presentState(node)) === 'active');

    await pushNodeRelease(registry, REPO, 'latest', `release-${Date.now()}`);
    const r = await run(['upgrade', '--to', TO, '--yes', '--health-timeout', '10']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, new RegExp(`^tars-docker: ${node.name}: not healthy after 10s: its deployed servers do not run: DemoApp\\.HelloServer \\(inactive\\) \\(was its /data/tars lost\\?\\); rolled back to latest \\(its previous container ${bare.slice(0, 12)}`));
    assert.match(r.stderr, /server start error: \/usr\/local\/app\/tars\/tarsnode\/data\/DemoApp\.HelloServer\/bin\/HelloServer is not exist\./, 'the log lines say why');
    assert.equal((await snapshotContainers(config)).find((c) => c.host === node.name)!.id, bare, 'the old container runs again');
    await until('the service runs again in the old container', async () => (await presentState(node)) === 'active');
  });

  /** What a deployment leaves: the registry's row and the patched executable under tarsnode's data (/data/tars/tarsnode-data). */
  async function deploy(host: HostConfig): Promise<void> {
    await query(
      `INSERT INTO db_tars.t_server_conf (application, server_name, node_name, setting_state, present_state, server_type)
       VALUES (?, ?, ?, 'active', 'inactive', 'tars_cpp')`,
      [SERVICE.app, SERVICE.server, host.address],
    );
    const tar = pack();
    tar.entry({ name: `${SERVICE.app}.${SERVICE.server}/bin/${SERVICE.server}`, mode: 0o755 }, '#!/bin/sh\n');
    tar.finalize();
    const id = (await snapshotContainers(config)).find((c) => c.host === host.name)!.id!;
    await withEngine(host, (d) => d.getContainer(id).putArchive(tar as unknown as NodeJS.ReadableStream, { path: '/data/tars/tarsnode-data' }));
  }

  async function dataVolume(host: HostConfig): Promise<string | undefined> {
    const id = (await snapshotContainers(config)).find((c) => c.host === host.name)!.id!;
    const info = await withEngine(host, (d) => d.getContainer(id).inspect());
    return info.Mounts.find((m) => m.Destination === '/data/tars')?.Name;
  }

  async function containerLog(host: HostConfig, id: string): Promise<string> {
    const buf = await withEngine(host, (d) => d.getContainer(id).logs({ stdout: true, stderr: true, follow: false }));
    return buf.toString('utf8');
  }
});
