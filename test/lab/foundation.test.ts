import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { connectHost } from '../../src/docker/connect.js';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { engineHost } from '../../src/docker/engine-host.js';
import { parseEndpoint } from '../../src/config/endpoint.js';
import { discoverHost, mainContainer } from '../../src/cluster/discover.js';
import { openConnection } from '../../src/db/connection.js';
import { readLabInfra } from '../../src/lab/index.js';
import { LAB_VERSIONS } from '../../src/lab/images.js';
import { cli, freshCluster, LAB_DIR, LAB_ENV, LAB_INVENTORY, labConfig, snapshotContainers } from '../support/lab.js';
import { mysqlNow, secondsBetween, settledHosts } from '../support/outcome.js';

const VERSION = LAB_VERSIONS[0]!;

interface StatusDoc {
  healthy: boolean;
  hosts: { name: string; role: string; endpoint: string; container: string; image: string; version: string; state: string; heartbeatAgeSeconds: number; healthy: boolean; problem?: string }[];
}

describe('foundation on the lab', () => {
  before(async () => {
    const s = await cli(['--json', 'status']);
    const doc = JSON.parse(s.stdout) as StatusDoc;
    if (!doc.healthy || doc.hosts.some((h) => h.role !== 'node' && h.version !== VERSION)) await freshCluster(VERSION);
  });

  it('status --json reports all four hosts healthy at the installed version', async () => {
    // Every host has heartbeated since `since` (read off MySQL's clock), so no age status reports may exceed
    // the time since then.
    const since = await mysqlNow();
    assert.deepEqual(await settledHosts({ version: VERSION, since }), []);
    const r = await cli(['--json', 'status']);
    const elapsed = secondsBetween(since, await mysqlNow());
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as StatusDoc;
    assert.equal(doc.healthy, true);
    assert.deepEqual(doc.hosts.map((h) => h.role), ['master', 'slave', 'node', 'node']);
    for (const h of doc.hosts) {
      assert.equal(h.healthy, true, `${h.name}: ${h.problem}`);
      // a node runs the moving tag latest, named by its digest
      if (h.role === 'node') assert.match(h.version, /^latest@sha256:\w{12}$/);
      else assert.equal(h.version, VERSION);
      assert.equal(h.state, 'running');
      assert.ok(h.heartbeatAgeSeconds >= 0 && h.heartbeatAgeSeconds <= elapsed, `${h.name} heartbeat ${h.heartbeatAgeSeconds}s old, ${elapsed}s since every host beat`);
      assert.match(h.image, h.role === 'node' ? /:latest$/ : new RegExp(`:${VERSION.replace(/\./g, '\\.')}$`));
    }
    assert.deepEqual(doc.hosts.map((h) => h.endpoint.split(':')[0]), ['unix', 'tcp', 'ssh', 'unix']);
  });

  it('reaches one lab host over unix, tcp+TLS and ssh', async () => {
    const infra = await readLabInfra(LAB_DIR);
    const h = infra.hosts[0]!;
    const specs = [
      { endpoint: h.endpoints.unix },
      { endpoint: h.endpoints.tcp, tls: { ca: infra.certs.ca, cert: infra.certs.clientCert, key: infra.certs.clientKey } },
      { endpoint: h.endpoints.ssh, identityFile: infra.sshKey },
    ];
    const ids = [];
    for (const spec of specs) {
      const conn = await connectEngine({ name: h.name, docker: parseEndpoint(spec, LAB_DIR, labConfig().hostKeys) });
      try {
        ids.push((await conn.docker.info()).ID);
      } finally {
        await conn.close();
      }
    }
    assert.equal(new Set(ids).size, 1, 'the three endpoints reach the same engine');
  });

  it('an unreachable host is one line naming it', async () => {
    await assert.rejects(
      connectHost({ name: 'ghost', docker: { kind: 'unix', url: 'unix:///nonexistent.sock', socketPath: '/nonexistent.sock' } }),
      (err: Error) => {
        assert.match(err.message, /^ghost: cannot reach Docker at unix:\/\/\/nonexistent\.sock/);
        assert.equal(err.message.split('\n').length, 1, err.message);
        return true;
      },
    );
  });

  it('a stopped container makes status name that host and exit 1', async () => {
    const config = labConfig();
    const node = config.hosts[3]!;
    const conn = await connectEngine(node);
    let since = '';
    try {
      const c = mainContainer(await discoverHost(config, node, engineHost(conn)));
      assert.ok(c, `the Tars container on ${node.name}`);
      await conn.docker.getContainer(c.id).stop({ t: 5 });
      try {
        const r = await cli(['status']);
        assert.equal(r.code, 1);
        assert.match(r.stdout, new RegExp(`${node.name}\\s+node.*UNHEALTHY`));
        const doc = JSON.parse((await cli(['--json', 'status'])).stdout) as StatusDoc;
        assert.deepEqual(doc.hosts.filter((h) => !h.healthy).map((h) => h.name), [node.name]);
      } finally {
        since = await mysqlNow();
        await conn.docker.getContainer(c.id).start();
      }
    } finally {
      await conn.close();
    }
    assert.deepEqual(await settledHosts({ version: VERSION, since, hosts: [node.name] }), [], 'the node is back');
    const back = await cli(['--json', 'status']);
    assert.equal(back.code, 0, back.stdout);
  });

  describe('bad configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-badcfg-'));
    it('a malformed .env gives one line and exit 2', async () => {
      const env = join(dir, 'bad.env');
      // replaced, not appended: a key given twice is its own error now
      writeFileSync(env, readFileSync(LAB_ENV, 'utf8').replace(/^MYSQL_PORT=.*$/m, 'MYSQL_PORT=not-a-port'));
      const r = await cli(['status'], { envFile: env });
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /bad\.env: MYSQL_PORT must be a port number/);
    });
    it('a malformed inventory gives one line and exit 2', async () => {
      const inv = join(dir, 'bad.yml');
      copyFileSync(LAB_INVENTORY, inv);
      writeFileSync(inv, readFileSync(inv, 'utf8').replace('role: slave', 'role: primary'));
      const r = await cli(['install', '--version', VERSION], { inventory: inv });
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /bad\.yml: hosts\[1\]\.role/);
    });
  });

  it('never prints the MySQL password, not even in errors', async () => {
    const password = labConfig().mysql.password;
    assert.ok(password.length >= 8);
    const wrong = join(mkdtempSync(join(tmpdir(), 'td-secret-')), 'wrong.env');
    writeFileSync(wrong, readFileSync(LAB_ENV, 'utf8').replace(/^MYSQL_USER=.*$/m, 'MYSQL_USER=nobody'));
    const runs = await Promise.all([
      cli(['status']), cli(['--json', 'status']), cli(['guard']), cli(['--json', 'guard']),
      cli(['--verbose', 'status'], { envFile: wrong }), cli(['--verbose', '--json', 'upgrade', '--to', 'v3.0.16', '--dry-run'], { envFile: wrong }),
      cli(['--json', 'migrate', 'plan', '--to', 'v3.0.16']),
    ]);
    for (const r of runs) {
      assert.ok(!`${r.stdout}${r.stderr}`.includes(password), `password leaked: ${r.stdout}${r.stderr}`);
    }
    assert.match(runs[5]!.stderr, /mysql .*: cannot connect/);
    // --verbose adds the stack below the same first line; without it the error is that one line.
    const plain = await cli(['--json', 'upgrade', '--to', 'v3.0.16', '--dry-run'], { envFile: wrong });
    const verbose = runs[5]!.stderr.trim().split('\n');
    assert.equal(plain.code, runs[5]!.code);
    assert.equal(plain.stderr.trim().split('\n').length, 1, plain.stderr);
    assert.equal(verbose[0], plain.stderr.trim());
    assert.ok(verbose.slice(1).some((l) => /^\s+at /.test(l)), runs[5]!.stderr);
  });

  it('install on an installed cluster exits 2 and changes nothing', async () => {
    const before = await snapshotContainers();
    const db = await openConnection(labConfig().mysql, { values: 'native' });
    try {
      const [[count]] = (await db.query('SELECT COUNT(*) AS n FROM db_tars.t_node_info')) as unknown as [[{ n: number }]];
      const r = await cli(['install', '--version', VERSION]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /databases already exist .*use `tars-docker upgrade`/);
      assert.deepEqual(await snapshotContainers(), before);
      const [[again]] = (await db.query('SELECT COUNT(*) AS n FROM db_tars.t_node_info')) as unknown as [[{ n: number }]];
      assert.equal(again.n, count.n);
    } finally {
      await db.end();
    }
  });
});
