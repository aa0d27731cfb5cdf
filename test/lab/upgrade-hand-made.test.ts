// Issue 11, "Done when": a cluster started by hand the way the Tars docs say (names tars-framework, framework,
// tars-node; bind-mounted /data/tars with a file in it; an extra env variable; --restart=always) plus a node made by
// a compose file of the test's own. status sees it, adopt writes its inventory, upgrade moves every host in place
// (same name, mounts, env, restart policy, network), a never-healthy release brings the master's exact previous
// container back, and rollback returns every host to its previous container.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostConfig } from '../../src/config/types.js';
import { readContainerFile } from '../../src/docker/containers.js';
import { LAB_BAD_VERSION } from '../../src/lab/images.js';
import { cli, freshCluster, labConfig, trustLabHosts, wipeCluster } from '../support/lab.js';
import { compose, dataDir, dockerRun, inspect, MARKER, removeTarsContainers, tarsContainers, withEngine } from '../support/hand-made.js';
import { fingerprint, seedWebData, type Fingerprint } from '../support/rollout.js';

const FROM = 'v3.0.14';
const TO = 'v3.0.16';
const config = labConfig();
const [h1, h2, h3, h4] = config.hosts as [HostConfig, HostConfig, HostConfig, HostConfig];
const NAMES: Record<string, string> = { h1: 'tars-framework', h2: 'framework', h3: 'tars-node', h4: 'ops_node_1' };

interface Spec {
  name: string;
  binds: string[];
  env: string[];
  restart: string;
  network: string;
}

/** The parts of a container an upgrade must keep, read from the engine. */
async function specOf(host: HostConfig, id: string): Promise<Spec> {
  const info = await inspect(host, id);
  return {
    name: info.Name.replace(/^\//, ''),
    binds: [...(info.HostConfig.Binds ?? [])].sort(),
    env: (info.Config.Env ?? []).filter((e) => !e.startsWith('REBUILD=')).sort(),
    restart: info.HostConfig.RestartPolicy?.Name ?? '',
    network: info.HostConfig.NetworkMode ?? '',
  };
}

/** The one running Tars container of a host, asserting there is exactly one. */
async function runningOn(host: HostConfig): Promise<{ id: string; name: string; image: string }> {
  const running = (await tarsContainers(host)).filter((c) => c.running);
  assert.equal(running.length, 1, `${host.name} runs exactly one Tars container: ${running.map((c) => c.name).join(', ')}`);
  return running[0]!;
}

describe('a cluster started by hand: status, adopt, upgrade, rollback', () => {
  const root = mkdtempSync(join(tmpdir(), 'td-hand-'));
  const adopted = join(root, 'adopted');
  const inventory = join(adopted, 'tars-docker.yml');
  const envFile = join(adopted, '.env');
  const composeFile = join(root, 'ops', 'docker-compose.yml');
  const original: Record<string, { id: string; spec: Spec }> = {};
  let data: Fingerprint;

  before(async () => {
    await freshCluster(FROM);
    await seedWebData(100);
    data = await fingerprint();
    // the databases stay; tars-docker's containers make way for the operator's own
    for (const h of config.hosts) await removeTarsContainers(h);
    const mysql = [`MYSQL_HOST=${config.mysql.host}`, `MYSQL_ROOT_PASSWORD=${config.mysql.password}`];
    const framework = (slave: boolean) => [...mysql, 'REBUILD=false', `SLAVE=${slave}`, 'INET=eth0', 'OPERATOR_NOTE=by hand'];
    const localtime = '/etc/localtime:/etc/localtime';
    await dockerRun(h1, { name: NAMES.h1!, image: `${config.images.framework}:${FROM}`, env: framework(false), binds: [`${dataDir(root, 'framework')}:/data/tars`, localtime] });
    await dockerRun(h2, { name: NAMES.h2!, image: `${config.images.framework}:${FROM}`, env: framework(true), binds: [`${dataDir(root, 'slave')}:/data/tars`, localtime] });
    await dockerRun(h3, { name: NAMES.h3!, image: `${config.images.node}:latest`, env: [`WEB_HOST=http://${h1.address}:3000`, 'OPERATOR_NOTE=by hand'], binds: [`${dataDir(root, 'node')}:/data/tars`] });
    mkdirSync(join(root, 'ops'));
    writeFileSync(composeFile, [
      'version: "2.4"',
      'services:',
      '  node:',
      `    image: "${config.images.node}:latest"`,
      '    network_mode: host',
      '    restart: unless-stopped',
      '    environment:',
      `      WEB_HOST: http://${h1.address}:3000`,
      '      OPERATOR_NOTE: compose',
      '    volumes:',
      `      - ${dataDir(root, 'compose-node')}:/data/tars`,
      '',
    ].join('\n'));
    await compose(h4, 'ops', composeFile, ['up', '-d']);
    for (const h of config.hosts) {
      const c = await runningOn(h);
      original[h.name] = { id: c.id, spec: await specOf(h, c.id) };
    }
  });

  after(async () => {
    await compose(h4, 'ops', composeFile, ['down']).catch(() => {});
    for (const h of config.hosts) await removeTarsContainers(h);
    await wipeCluster();
    rmSync(root, { recursive: true, force: true });
  });

  it(`status sees every host healthy at ${FROM}, by its own container`, async () => {
    const r = await cli(['--json', 'status']);
    const doc = JSON.parse(r.stdout) as { healthy: boolean; hosts: { name: string; container: string; version: string; healthy: boolean; problem?: string }[] };
    assert.equal(r.code, 0, JSON.stringify(doc.hosts.filter((h) => !h.healthy)));
    // a node on a moving tag is named by its digest
    const versions = doc.hosts.map((h) => `${h.name} ${h.container} ${h.version.replace(/^latest@sha256:\w{12}$/, 'latest@DIGEST')}`);
    assert.deepEqual(versions, config.hosts.map((h) => `${h.name} ${NAMES[h.name]} ${h.role === 'node' ? 'latest@DIGEST' : FROM}`));
  });

  it('adopt writes an inventory with the right roles and addresses, and the .env; status is healthy on it', async () => {
    const tls = h2.docker.kind === 'tcp' ? h2.docker.tls : undefined;
    const key = h3.docker.kind === 'ssh' ? h3.docker.identityFile : undefined;
    mkdirSync(adopted);
    trustLabHosts(adopted);
    const r = await cli(['--json', 'adopt', ...config.hosts.map((h) => h.docker.url), '--out', inventory, '--env-out', envFile,
      '--tls-ca', tls!.ca, '--tls-cert', tls!.cert, '--tls-key', tls!.key, '--identity-file', key!]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(config.mysql.password) && !r.stderr.includes(config.mysql.password), 'the password is never printed');
    const doc = JSON.parse(r.stdout) as { hosts: { role: string; address: string; container: string; origin: string }[] };
    assert.deepEqual(doc.hosts.map((h) => `${h.role} ${h.address} ${h.container} ${h.origin}`), [
      `master ${h1.address} tars-framework hand`, `slave ${h2.address} framework hand`, `node ${h3.address} tars-node hand`, `node ${h4.address} ops_node_1 compose`,
    ]);
    assert.equal(statSync(envFile).mode & 0o777, 0o600);
    const s = await cli(['status'], { inventory, envFile });
    assert.equal(s.code, 0, s.stdout + s.stderr);
    const again = await cli(['adopt', h1.docker.url, '--out', inventory]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists; give --force/);
  });

  it(`upgrade --to ${TO} on the adopted inventory moves every host in place, keeping name, mounts, env, restart policy and network`, async () => {
    const dry = await cli(['upgrade', '--to', TO, '--dry-run'], { inventory, envFile });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /container tars-framework \(made by hand\): replaces \w{12} \S+:v3\.0\.14, kept as tars-framework\.previous/);
    assert.match(dry.stdout, new RegExp(`keeps: bind ${root}/framework -> /data/tars`));
    assert.match(dry.stdout, /container ops_node_1 \(made by compose .*docker-compose\.yml\)/);

    const r = await cli(['upgrade', '--to', TO, '--yes'], { inventory, envFile });
    assert.equal(r.code, 0, r.stderr);
    for (const h of config.hosts) {
      const now = await runningOn(h);
      assert.equal(now.name, NAMES[h.name], `${h.name} keeps its name`);
      if (h.role === 'node') {
        // latest did not move: the node's own container restarted in place (it fetched tarsnode from the new master)
        assert.equal(now.id, original[h.name]!.id, `${h.name} restarted in place`);
        assert.match(now.image, /:latest$/);
        continue;
      }
      assert.match(now.image, new RegExp(`:${TO}$`));
      assert.deepEqual(await specOf(h, now.id), original[h.name]!.spec, `${h.name} keeps mounts, env, restart policy and network`);
      const env = (await inspect(h, now.id)).Config.Env ?? [];
      assert.ok(env.includes('REBUILD=false'), `${h.name}: REBUILD=false`);
      const file = await withEngine(h, (d) => readContainerFile(d, now.id, `/data/tars/${MARKER}`));
      assert.ok(file, `${h.name}: the operator's file is in the new container's /data/tars`);
      const kept = (await tarsContainers(h)).find((c) => c.name === `${NAMES[h.name]}.previous`);
      assert.equal(kept?.id, original[h.name]!.id, `${h.name}: the original container is kept, stopped`);
      assert.equal(kept?.restartPolicy.Name, 'no', `${h.name}: the kept container cannot come back by itself`);
    }
    const s = await cli(['status'], { inventory, envFile });
    assert.equal(s.code, 0, s.stdout);
    assert.deepEqual(await fingerprint(data), data);
    const g = await cli(['--json', 'guard'], { inventory, envFile });
    const findings = (JSON.parse(g.stdout) as { findings: { id: string; message: string; source: { file?: string } }[] }).findings;
    // the operator's compose file names latest, which is what its node still runs
    assert.equal(findings.find((f) => f.id === 'compose-pins-old-image'), undefined, g.stdout);
  });

  it(`upgrade --to ${LAB_BAD_VERSION} (never healthy) brings the master's exact previous container back`, async () => {
    const before = await runningOn(h1);
    const r = await cli(['upgrade', '--to', LAB_BAD_VERSION, '--yes', '--health-timeout', '20'], { inventory, envFile });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, new RegExp(`not healthy after 20s: .*rolled back to ${TO.replace(/\./g, '\\.')}`));
    const after = await runningOn(h1);
    assert.equal(after.id, before.id, 'the same container runs again');
    assert.equal(after.name, NAMES.h1);
    const kept = (await tarsContainers(h1)).find((c) => c.name === `${NAMES.h1}.previous`);
    assert.equal(kept?.id, original.h1!.id, 'the container kept by the run before is still there');
  });

  it(`rollback --to ${FROM} returns every host to its previous container`, async () => {
    const r = await cli(['rollback', '--to', FROM, '--yes'], { inventory, envFile });
    assert.equal(r.code, 0, r.stderr);
    for (const h of config.hosts) {
      const now = await runningOn(h);
      assert.equal(now.id, original[h.name]!.id, `${h.name} runs its original container again`);
      assert.equal(now.name, NAMES[h.name]);
      assert.equal((await specOf(h, now.id)).restart, original[h.name]!.spec.restart, `${h.name}: its restart policy is back`);
    }
    const s = await cli(['status'], { inventory, envFile });
    assert.equal(s.code, 0, s.stdout);
    assert.deepEqual(await fingerprint(data), data);
  });

  it('two running Tars containers on one engine: upgrade refuses with exit 2 before any backup, nothing changed', async () => {
    // a second node beside the first (on the default bridge so the two do not fight over ports); it only idles, so
    // it is surely running when upgrade looks
    const extra = await dockerRun(h3, {
      name: 'tars-node-2', image: `${config.images.node}:latest`, env: [`WEB_HOST=http://${h1.address}:3000`], binds: [], network: 'bridge',
      cmd: ['node', '-e', 'setInterval(() => {}, 1 << 30)'],
    });
    try {
      const snapshot = await Promise.all(config.hosts.map(async (h) => (await tarsContainers(h)).map((c) => `${c.id} ${c.state} ${c.startedAt}`)));
      const backups = join(adopted, '.tars-docker', 'backups');
      const listed = () => { try { return readdirSync(backups); } catch { return []; } };
      const had = listed();
      const r = await cli(['upgrade', '--to', TO, '--yes'], { inventory, envFile });
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^tars-docker: node-\S+: tars-node \(.*running\) and tars-node-2 \(.*running\) run on ssh:\/\/\S+ where the inventory expects one Tars container/);
      assert.deepEqual(listed(), had, 'no backup was made');
      const now = await Promise.all(config.hosts.map(async (h) => (await tarsContainers(h)).filter((c) => c.id !== extra).map((c) => `${c.id} ${c.state} ${c.startedAt}`)));
      assert.deepEqual(now, snapshot.map((cs, i) => (i === 2 ? cs.filter((c) => !c.startsWith(extra)) : cs)), 'no container changed');
    } finally {
      await withEngine(h3, (d) => d.getContainer(extra).remove({ force: true }));
    }
  });
});
