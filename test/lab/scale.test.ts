import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readLabInfra, scaleAddHostCommands } from '../../src/lab/index.js';
import type { LabHost } from '../../src/lab/types.js';
import { openConnection } from '../../src/db/connection.js';
import { runCli } from '../support/cli.js';
import { cli, freshCluster, LAB_DIR, LAB_ENV, LAB_INVENTORY, labConfig, snapshotContainers, useStandinSpeed } from '../support/lab.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import { emptyHost, engineOf, spareHost } from '../support/spare-host.js';

const VERSION = 'v3.0.14';

const engine = engineOf;

async function activeRows(address: string, table: 't_node_info' | 't_registry_info'): Promise<number> {
  const db = await openConnection(labConfig().mysql, { values: 'native' });
  try {
    const where = table === 't_node_info' ? 'node_name = ?' : `locator_id LIKE CONCAT(?, ':%')`;
    const [rows] = (await db.query(`SELECT COUNT(*) AS n FROM db_tars.${table} WHERE ${where} AND present_state='active'`, [address])) as unknown as [{ n: number }[]];
    return Number(rows[0]!.n);
  } finally {
    await db.end();
  }
}

async function removeHost(name: string): Promise<void> {
  const r = await cli(['--yes', 'scale', 'remove-host', name]);
  assert.equal(r.code, 0, r.stderr);
}

/** Runs `fn` and removes the host `name` from the cluster afterwards, whatever happened. */
async function thenRemove(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } finally {
    if (labConfig().hosts.some((h) => h.name === name)) await removeHost(name);
  }
}

describe('scale on the lab', () => {
  let spare: LabHost | undefined;
  // Whatever a failed assertion left goes again, so the next test file finds the lab's 4 hosts and an empty spare.
  after(async () => {
    await useStandinSpeed('fast');
    for (const h of labConfig().hosts.slice(4)) await cli(['--yes', 'scale', 'remove-host', h.name]);
    if (spare) await emptyHost(spare);
  });
  before(async () => {
    const s = JSON.parse((await cli(['--json', 'status'])).stdout) as { healthy: boolean; hosts: { version: string }[] };
    if (!s.healthy || s.hosts.length !== 4 || s.hosts.some((h) => h.version !== VERSION)) await freshCluster(VERSION);
    spare = await spareHost();
  });

  it('adds a node over each endpoint kind with the command lab add-host prints, proves the join, and removes it again', async () => {
    const host = spare!;
    for (const [kind, argv] of Object.entries(scaleAddHostCommands(LAB_DIR, host))) {
      assert.equal(argv[0], 'tars-docker');
      const name = `n-${kind}`;
      await thenRemove(name, async () => {
        const since = await mysqlNow();
        const r = await runCli(['--json', '--yes', ...argv.slice(1), '--name', name]);
        assert.equal(r.code, 0, `${kind}: ${r.stderr}`);
        const doc = JSON.parse(r.stdout) as { name: string; address: string; secondsToJoin: number };
        assert.equal(doc.address, host.address);
        assert.deepEqual(await hostProblems({ version: VERSION, since, hosts: [name] }), [], `${kind}: container and heartbeat`);
        const status = JSON.parse((await cli(['--json', 'status'])).stdout) as { hosts: { name: string; healthy: boolean; endpoint: string }[] };
        const added = status.hosts.find((h) => h.name === name);
        assert.ok(added, `${name} in status: ${JSON.stringify(status.hosts)}`);
        assert.equal(added.healthy, true);
        assert.ok(added.endpoint.startsWith(`${kind}://`));
      });
      assert.deepEqual(await engine(host).listContainers({ all: true }), [], `${kind}: remove-host removed the container`);
    }
    assert.doesNotMatch(readFileSync(LAB_INVENTORY, 'utf8'), /n-unix|n-tcp|n-ssh/);
  });

  it('scale add-host --dry-run checks the host and changes nothing', async () => {
    const host = spare!;
    const inv = readFileSync(LAB_INVENTORY, 'utf8');
    const r = await cli(['--json', 'scale', 'add-host', host.endpoints.unix, '--address', host.address, '--role', 'node', '--name', 'n-dry', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { dryRun: boolean; name: string; image: string };
    assert.deepEqual([doc.dryRun, doc.name, doc.image], [true, 'n-dry', `${labConfig().images.node}:${VERSION}`]);
    assert.equal(readFileSync(LAB_INVENTORY, 'utf8'), inv);
    assert.deepEqual(await engine(host).listContainers({ all: true }), []);
    assert.equal(await activeRows(host.address, 't_node_info'), 0);
  });

  it('adds a slave over tcp+TLS (real intervals and start) that appears in t_registry_info, and a later upgrade includes it', async () => {
    await useStandinSpeed('real');
    const infra = await readLabInfra(LAB_DIR);
    const host = spare!;
    await thenRemove('s2', async () => {
      const since = await mysqlNow();
      const tls = ['--tls-ca', infra.certs.ca, '--tls-cert', infra.certs.clientCert, '--tls-key', infra.certs.clientKey];
      const r = await cli(['--json', '--yes', 'scale', 'add-host', host.endpoints.tcp, ...tls, '--address', host.address, '--role', 'slave', '--name', 's2']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await hostProblems({ version: VERSION, since, hosts: ['s2'] }), [], 'container and registry heartbeat');
      const plan = JSON.parse((await cli(['--json', 'upgrade', '--to', 'v3.0.16', '--dry-run'])).stdout) as { plan: { steps: { id: string }[] } };
      assert.ok(plan.plan.steps.some((s) => s.id === 'restart:s2'), 'the upgrade plan restarts the new slave');
      // remove-host --dry-run names its steps and leaves the inventory, the container and the rows alone
      const inv = readFileSync(LAB_INVENTORY, 'utf8');
      const containers = await engine(host).listContainers({ all: true });
      const dry = await cli(['--json', 'scale', 'remove-host', 's2', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.ok((JSON.parse(dry.stdout) as { steps: string[] }).steps.length > 0, dry.stdout);
      assert.equal(readFileSync(LAB_INVENTORY, 'utf8'), inv);
      assert.deepEqual((await engine(host).listContainers({ all: true })).map((c) => c.Id), containers.map((c) => c.Id));
      assert.ok((await activeRows(host.address, 't_registry_info')) > 0);
    });
    assert.equal(await activeRows(host.address, 't_registry_info'), 0, 'its registry rows are inactive');
    await useStandinSpeed('fast');
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
      const host = spare!;
      const netns = `/run/netns/tdlab-${host.name}`;
      const script = `require('net').createServer().listen(19385, '${host.address}', () => console.log('listening'))`;
      const listener: ChildProcess = spawn('nsenter', [`--net=${netns}`, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        // The port is taken once the listener says so, not after some delay.
        await new Promise<void>((ok, fail) => {
          listener.stdout!.on('data', (d: Buffer) => String(d).includes('listening') && ok());
          listener.once('exit', (code) => fail(new Error(`the listener exited (${code}) before listening`)));
        });
        await unchanged(['add-host', host.endpoints.unix, '--address', host.address, '--role', 'node'], 2, /ports already in use .*19385/);
      } finally {
        listener.kill('SIGKILL');
      }
    });

    it('a host that already runs a framework container', async () => {
      const docker = engine(spare!);
      const image = `${labConfig().images.framework}:${VERSION}`;
      await new Promise<void>((ok, fail) => docker.pull(image, (err: Error | null, stream: NodeJS.ReadableStream) => (err ? fail(err) : docker.modem.followProgress(stream, (e) => (e ? fail(e) : ok())))));
      const c = await docker.createContainer({ Image: image, name: 'hand-made-framework', Entrypoint: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1e9)'], HostConfig: { NetworkMode: 'host' } });
      try {
        await c.start();
        await unchanged(['add-host', spare!.endpoints.unix, '--address', spare!.address, '--role', 'slave'], 2, /already runs a Tars container/);
      } finally {
        await c.remove({ force: true });
      }
    });

    it('removing the master is refused', async () => {
      await unchanged(['remove-host', 'h1'], 2, /h1 is the master/);
    });
  });

  it('a host that never heartbeats is rolled back: container gone, inventory unchanged', async () => {
    const host = spare!;
    const inv = readFileSync(LAB_INVENTORY, 'utf8');
    // A wrong node image (the framework's, without any MySQL settings) starts but never heartbeats.
    const env = join(mkdtempSync(join(tmpdir(), 'td-scale-')), 'wrong-image.env');
    const text = readFileSync(LAB_ENV, 'utf8');
    writeFileSync(env, text.replace(/^NODE_IMAGE=.*$/m, `NODE_IMAGE=${/^FRAMEWORK_IMAGE=(.*)$/m.exec(text)![1]}`), { mode: 0o600 });
    const r = await cli(['--yes', 'scale', 'add-host', host.endpoints.unix, '--address', host.address, '--role', 'node', '--health-timeout', '8'], { envFile: env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /not healthy after 8s/);
    assert.equal(readFileSync(LAB_INVENTORY, 'utf8'), inv);
    assert.deepEqual(await engine(host).listContainers({ all: true }), []);
  });
});
