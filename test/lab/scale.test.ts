import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { connectMysql } from '../../src/mysql/connect.js';
import { runCli } from '../support/cli.js';
import { cli, freshCluster, LAB_DIR, LAB_ENV, LAB_INVENTORY, labConfig, snapshotContainers } from '../support/lab.js';

const VERSION = 'v3.0.14';

interface NewHost {
  name: string;
  address: string;
  endpoints: { unix: string; tcp: string; ssh: string };
  /** The ready `tars-docker … scale add-host …` argv per endpoint kind. */
  commands: { unix: string[]; tcp: string[]; ssh: string[] };
}

async function labHost(): Promise<NewHost> {
  const r = await cli(['--json', 'lab', 'add-host', '--dir', LAB_DIR]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as NewHost;
}

async function nodeAge(address: string, table: 't_node_info' | 't_registry_info'): Promise<number | null> {
  const db = await connectMysql(labConfig().mysql);
  try {
    const where = table === 't_node_info' ? 'node_name = ?' : `locator_id LIKE CONCAT(?, ':%')`;
    const [rows] = (await db.query(`SELECT MIN(TIMESTAMPDIFF(SECOND, last_heartbeat, NOW())) AS age FROM db_tars.${table} WHERE ${where} AND present_state='active'`, [address])) as unknown as [{ age: number | null }[]];
    return rows[0]!.age;
  } finally {
    await db.end();
  }
}

async function removeHost(name: string): Promise<void> {
  const r = await cli(['--yes', 'scale', 'remove-host', name]);
  assert.equal(r.code, 0, r.stderr);
}

describe('scale on the lab', () => {
  // Whatever a failed assertion left in the inventory goes again, so the next test file finds the lab's 4 hosts.
  after(async () => {
    for (const h of labConfig().hosts.slice(4)) await cli(['--yes', 'scale', 'remove-host', h.name]);
  });
  before(async () => {
    const s = JSON.parse((await cli(['--json', 'status'])).stdout) as { healthy: boolean; hosts: unknown[] };
    if (!s.healthy || s.hosts.length !== 4) await freshCluster(VERSION);
  });

  it('adds a node over each endpoint kind with the command lab add-host printed, proves the join, and removes it again', async () => {
    const host = await labHost();
    for (const [kind, argv] of Object.entries(host.commands)) {
      assert.equal(argv[0], 'tars-docker');
      const r = await runCli(['--json', '--yes', ...argv.slice(1), '--name', `n-${kind}`]);
      assert.equal(r.code, 0, `${kind}: ${r.stderr}`);
      const doc = JSON.parse(r.stdout) as { name: string; address: string; secondsToJoin: number };
      assert.equal(doc.address, host.address);
      const age = await nodeAge(host.address, 't_node_info');
      assert.ok(age !== null && age <= 10, `${kind}: fresh heartbeat in t_node_info (${age})`);
      const status = JSON.parse((await cli(['--json', 'status'])).stdout) as { hosts: { name: string; healthy: boolean; endpoint: string }[] };
      const added = status.hosts.find((h) => h.name === `n-${kind}`)!;
      assert.equal(added.healthy, true);
      assert.ok(added.endpoint.startsWith(`${kind}://`));
      await removeHost(`n-${kind}`);
    }
    assert.doesNotMatch(readFileSync(LAB_INVENTORY, 'utf8'), /n-unix|n-tcp|n-ssh/);
  });

  it('adds a slave that appears in t_registry_info, and a later upgrade includes it', async () => {
    const host = await labHost();
    const r = await cli(['--json', '--yes', 'scale', 'add-host', host.endpoints.unix, '--address', host.address, '--role', 'slave', '--name', 's2']);
    assert.equal(r.code, 0, r.stderr);
    const age = await nodeAge(host.address, 't_registry_info');
    assert.ok(age !== null && age <= 10, `fresh registry heartbeat (${age})`);
    const plan = JSON.parse((await cli(['--json', 'upgrade', '--to', 'v3.0.16', '--dry-run'])).stdout) as { plan: { steps: { id: string }[] } };
    assert.ok(plan.plan.steps.some((s) => s.id === 'restart:s2'), 'the upgrade plan restarts the new slave');
    await removeHost('s2');
    const gone = await nodeAge(host.address, 't_registry_info');
    assert.equal(gone, null, 'its registry rows are inactive');
  });

  describe('refusals leave inventory and hosts as they were', () => {
    const unchanged = async (args: string[], code: number, pattern: RegExp) => {
      const inv = readFileSync(LAB_INVENTORY, 'utf8');
      const before = await snapshotContainers();
      const r = await cli(['--yes', 'scale', ...args]);
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(readFileSync(LAB_INVENTORY, 'utf8'), inv);
      assert.deepEqual(await snapshotContainers(), before);
    };

    it('an unreachable endpoint', async () => {
      await unchanged(['add-host', 'unix:///run/tdlab-nothing.sock', '--address', '10.213.7.200', '--role', 'node'], 1, /cannot reach Docker/);
    });

    it('a host whose Tars ports are taken', async () => {
      const host = await labHost();
      const netns = `/run/netns/tdlab-${host.name}`;
      const listener: ChildProcess = spawn('nsenter', [`--net=${netns}`, process.execPath, '-e', `require('net').createServer().listen(19385, '${host.address}')`], { stdio: 'ignore' });
      try {
        await new Promise((ok) => setTimeout(ok, 800));
        await unchanged(['add-host', host.endpoints.unix, '--address', host.address, '--role', 'node'], 2, /ports already in use .*19385/);
      } finally {
        listener.kill('SIGKILL');
      }
    });

    it('a host that already runs a framework container', async () => {
      const host = await labHost();
      const docker = new Docker({ socketPath: host.endpoints.unix.replace('unix://', '') });
      const image = `${labConfig().images.framework}:${VERSION}`;
      await new Promise<void>((ok, fail) => docker.pull(image, (err: Error | null, stream: NodeJS.ReadableStream) => (err ? fail(err) : docker.modem.followProgress(stream, (e) => (e ? fail(e) : ok()))))); 
      const c = await docker.createContainer({ Image: image, name: 'hand-made-framework', Entrypoint: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1e9)'], HostConfig: { NetworkMode: 'host' } });
      await c.start();
      try {
        await unchanged(['add-host', host.endpoints.unix, '--address', host.address, '--role', 'slave'], 2, /already runs a Tars container/);
      } finally {
        await c.remove({ force: true });
      }
    });

    it('removing the master is refused', async () => {
      await unchanged(['remove-host', 'h1'], 2, /h1 is the master/);
    });
  });

  it('a host that never heartbeats is rolled back: container gone, inventory unchanged', async () => {
    const host = await labHost();
    const inv = readFileSync(LAB_INVENTORY, 'utf8');
    // A wrong node image (the framework's, without any MySQL settings) starts but never heartbeats.
    const env = join(mkdtempSync(join(tmpdir(), 'td-scale-')), 'wrong-image.env');
    const text = readFileSync(LAB_ENV, 'utf8');
    writeFileSync(env, text.replace(/^NODE_IMAGE=.*$/m, `NODE_IMAGE=${/^FRAMEWORK_IMAGE=(.*)$/m.exec(text)![1]}`), { mode: 0o600 });
    const r = await cli(['--yes', 'scale', 'add-host', host.endpoints.unix, '--address', host.address, '--role', 'node', '--health-timeout', '8'], { envFile: env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /not healthy after 8s/);
    assert.equal(readFileSync(LAB_INVENTORY, 'utf8'), inv);
    const docker = new Docker({ socketPath: host.endpoints.unix.replace('unix://', '') });
    const left = await docker.listContainers({ all: true, filters: { label: ['io.tars-docker.project=tars'] } });
    assert.deepEqual(left, []);
  });
});
