// Issue 11, "Done when": the Tars docs' development layout (master and node on one engine, a user-defined bridge
// 172.25.0.0/16, fixed --ip per container, published ports) is adopted, upgraded and rolled back with its IPs and
// ports kept. The lab's engines live in network namespaces whose dockerd leaves forwarding and NAT alone, so the test
// gives that namespace what a developer's machine has (forwarding, masquerade for the bridge) and this machine a
// route to the bridge via the engine's address.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { HostConfig } from '../../src/config/types.js';
import { openConnection } from '../../src/db/connection.js';
import { cli, freshCluster, LAB_DIR, labConfig, wipeCluster } from '../support/lab.js';
import { dataDir, dockerRun, inspect, removeTarsContainers, tarsContainers, withEngine } from '../support/hand-made.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';
const SUBNET = '172.25.0.0/16';
const NET = 'tars-dev';
const MASTER_IP = '172.25.0.3';
const NODE_IP = '172.25.0.5';
const config = labConfig();
const engine = config.hosts[0] as HostConfig;
const sh = promisify(execFile);

interface Layout {
  id: string;
  ip: string;
  ports: unknown;
  network: string;
}

async function layoutOf(name: string): Promise<Layout> {
  const c = (await tarsContainers(engine)).find((x) => x.name === name && x.running);
  assert.ok(c, `${name} runs`);
  const info = await inspect(engine, c.id);
  return { id: c.id, ip: info.NetworkSettings.Networks[NET]?.IPAddress ?? '', ports: info.HostConfig.PortBindings, network: info.HostConfig.NetworkMode ?? '' };
}

const MASQUERADE = ['-s', SUBNET, '!', '-d', SUBNET, '-j', 'MASQUERADE'];
let forwardWas = '';

/** Runs a command in the network namespace of the engine's dockerd. */
async function inEngineNet(...cmd: string[]): Promise<string> {
  const pid = readFileSync(join(LAB_DIR, 'hosts', engine.name, 'dockerd.pid'), 'utf8').trim();
  return (await sh('nsenter', [`--net=/proc/${pid}/ns/net`, ...cmd])).stdout;
}

/** Until every address has a fresh heartbeat in db_tars.t_node_info (frameworks run a tarsnode too), or 60 s. */
async function heartbeating(addresses: string[]): Promise<void> {
  const db = await openConnection(config.mysql, { values: 'native' });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [rows] = await db.query(`SELECT node_name FROM db_tars.t_node_info WHERE node_name IN (?) AND last_heartbeat >= NOW() - INTERVAL 10 SECOND`, [addresses]);
      if ((rows as unknown[]).length === addresses.length) return;
      assert.ok(Date.now() < deadline, `no heartbeat from ${addresses.join(', ')} within 60 s`);
      await new Promise((ok) => setTimeout(ok, 500));
    }
  } finally {
    await db.end();
  }
}

describe('the development layout: master and node on one engine, on a bridge with fixed IPs', () => {
  const root = mkdtempSync(join(tmpdir(), 'td-dev-'));
  const inventory = join(root, 'tars-docker.yml');
  const original: Record<string, Layout> = {};

  before(async () => {
    await freshCluster(FROM);
    for (const h of config.hosts) await removeTarsContainers(h);
    await withEngine(engine, (d) => d.createNetwork({ Name: NET, Driver: 'bridge', IPAM: { Config: [{ Subnet: SUBNET }] } }));
    await sh('ip', ['route', 'replace', SUBNET, 'via', engine.address]);
    forwardWas = (await inEngineNet('sysctl', '-n', 'net.ipv4.ip_forward')).trim();
    await inEngineNet('sysctl', '-w', 'net.ipv4.ip_forward=1');
    await inEngineNet('iptables', '-t', 'nat', '-A', 'POSTROUTING', ...MASQUERADE);
    const mysql = [`MYSQL_HOST=${config.mysql.host}`, `MYSQL_ROOT_PASSWORD=${config.mysql.password}`];
    await dockerRun(engine, {
      name: 'tars-framework', image: `${config.images.framework}:${FROM}`, network: NET, ip: MASTER_IP,
      env: [...mysql, 'REBUILD=false', 'SLAVE=false', 'INET=eth0'], binds: [`${dataDir(root, 'framework')}:/data/tars`],
      ports: { '3000/tcp': '3000', '17890/tcp': '17890' },
    });
    await dockerRun(engine, {
      name: 'tars-node', image: `${config.images.node}:${FROM}`, network: NET, ip: NODE_IP,
      env: [`WEB_HOST=http://${MASTER_IP}:3000`], binds: [`${dataDir(root, 'node')}:/data/tars`], ports: { '19385/tcp': '19385' },
    });
    for (const name of ['tars-framework', 'tars-node']) original[name] = await layoutOf(name);
    await heartbeating([MASTER_IP, NODE_IP]);
  });

  after(async () => {
    await removeTarsContainers(engine);
    await withEngine(engine, (d) => d.getNetwork(NET).remove()).catch(() => {});
    await sh('ip', ['route', 'del', SUBNET]).catch(() => {});
    await inEngineNet('iptables', '-t', 'nat', '-D', 'POSTROUTING', ...MASQUERADE).catch(() => {});
    if (forwardWas) await inEngineNet('sysctl', '-w', `net.ipv4.ip_forward=${forwardWas}`).catch(() => {});
    await wipeCluster();
    rmSync(root, { recursive: true, force: true });
  });

  it('adopt names each host its container and finds the bridge addresses', async () => {
    const r = await cli(['--json', 'adopt', engine.docker.url, '--out', inventory]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { hosts: { role: string; address: string; container: string }[] };
    assert.deepEqual(doc.hosts.map((h) => `${h.role} ${h.address} ${h.container}`), [`master ${MASTER_IP} tars-framework`, `node ${NODE_IP} tars-node`]);
    const s = await cli(['status'], { inventory });
    assert.equal(s.code, 0, s.stdout + s.stderr);
  });

  it(`upgrade --to ${TO} keeps the network, the fixed IPs and the published ports`, async () => {
    const r = await cli(['upgrade', '--to', TO, '--yes'], { inventory });
    assert.equal(r.code, 0, r.stderr);
    for (const name of ['tars-framework', 'tars-node']) {
      const now = await layoutOf(name);
      assert.notEqual(now.id, original[name]!.id, `${name} is a new container`);
      assert.deepEqual({ ...now, id: '' }, { ...original[name]!, id: '' }, `${name} keeps its network, IP and ports`);
    }
    const s = await cli(['status'], { inventory });
    assert.equal(s.code, 0, s.stdout);
    assert.match(s.stdout, new RegExp(`master\\s+${TO.replace(/\./g, '\\.')}`));
  });

  it(`rollback --to ${FROM} brings both original containers back, IPs and ports as they were`, async () => {
    const r = await cli(['rollback', '--to', FROM, '--yes'], { inventory });
    assert.equal(r.code, 0, r.stderr);
    for (const name of ['tars-framework', 'tars-node']) assert.deepEqual(await layoutOf(name), original[name]);
    const s = await cli(['status'], { inventory });
    assert.equal(s.code, 0, s.stdout);
  });
});
