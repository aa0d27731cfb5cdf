// The stand-in images against a private engine, registries and MariaDB of this test (not the shared lab):
// build and push, then the framework and node contracts the rest of tars-docker relies on.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import Docker from 'dockerode';
import mysql from 'mysql2/promise';
import { extract } from 'tar-stream';
import { followProgress } from '../../src/lab/image-progress.js';
import { waitForLogLine } from '../support/container-log.js';
import { buildLabImages, LAB_BAD_VERSION, LAB_STABLE_VERSION, LAB_VERSIONS, labFrameworkVersion } from '../../src/lab/images.js';

const TOOLS = ['dockerd', 'docker-registry', 'mariadbd', 'mariadb-install-db', 'ip'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = process.getuid?.() !== 0 ? 'needs root' : missing.length ? `missing ${missing.join(', ')}` : false;

// Addresses in the loopback range on a bridge of our own, so INET names a real interface without any traffic
// leaving the machine.
const MASTER = '127.0.99.1';
const SLAVE = '127.0.99.2';
const NODE = '127.0.99.3';
const PASSWORD = 'sti-secret';
// heartbeats and tarsnode carry TarsFramework's own version, as the real servers do, not the image tag
const STABLE_FW = labFrameworkVersion(LAB_STABLE_VERSION);
const BAD_FW = labFrameworkVersion(LAB_BAD_VERSION);
const AUTH = { username: 'sti', password: 'sti-pass' };
const dir = mkdtempSync('/tmp/tars-sti-');
const iface = `tsti${process.pid % 100000}`;
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
// tars-install.sh's start order: tarsAdminRegistry, tarsregistry, tarsconfig, tarsnode, tarsnotify, tarsproperty,
// tarsqueryproperty, tarsquerystat, tarsstat, tarslog (with TopologyObj from TarsFramework 3.0.1), tarspatch, then TarsWeb
const MASTER_PORTS = [12000, 17890, 17891, 18193, 19385, 19386, 18593, 18493, 18693, 18393, 18293, 18993, 18913, 18793, 3000];

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, host).on('connect', () => { s.destroy(); ok(true); }).on('error', () => ok(false));
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

function start(name: string, cmd: string, args: string[]): ChildProcess {
  const out = openSync(join(dir, `${name}.log`), 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}

// dockerd can leave its netns mount behind, which would make the directory impossible to delete
function unmountUnder(root: string): void {
  const mounts = spawnSync('awk', ['{print $2}', '/proc/mounts'], { encoding: 'utf8' }).stdout.split('\n');
  for (const m of mounts.filter((p) => p.startsWith(`${root}/`)).sort().reverse()) spawnSync('umount', ['-l', m]);
}

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

async function startRegistry(name: string, port: number, htpasswd?: string): Promise<string> {
  const auth = htpasswd ? `auth:\n  htpasswd:\n    realm: sti\n    path: ${htpasswd}\n` : '';
  const config = join(dir, `${name}.yml`);
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, name)}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`);
  start(name, 'docker-registry', ['serve', config]);
  await waitFor(name, () => fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.status === 200 || r.status === 401));
  return `127.0.0.1:${port}`;
}

async function startMariadb(port: number): Promise<void> {
  const data = join(dir, 'mysql');
  // Its own tmpdir: starting up, MariaDB deletes every #sql* file in it, in /tmp the live temporary tables of the
  // machine's server and the lab's.
  const tmp = join(dir, 'mysql-tmp');
  mkdirSync(tmp, { recursive: true });
  sh('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, `--tmpdir=${tmp}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root']);
  start('mariadbd', 'mariadbd', ['--no-defaults', `--datadir=${data}`, `--tmpdir=${tmp}`, `--socket=${dir}/mysql.sock`, `--port=${port}`, '--bind-address=127.0.0.1', '--user=root', '--skip-name-resolve', '--innodb-flush-log-at-trx-commit=2']);
  const conn = await waitFor('mariadbd', () => mysql.createConnection({ socketPath: `${dir}/mysql.sock`, user: 'root' }));
  // containers come in over TCP as root@127.0.0.1, with a password like a real cluster; the install's
  // password-less root@127.0.0.1 would match first
  await conn.query(`DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1'`);
  await conn.query(`CREATE USER 'root'@'%' IDENTIFIED BY '${PASSWORD}'`);
  await conn.query(`GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION`);
  await conn.end();
}

describe('lab stand-in images', { skip }, () => {
  let docker: Docker;
  let db: mysql.Pool;
  let registries: string[];
  let mysqlPort: number;
  const timings: Record<string, number> = {};
  const buildLog: string[] = [];
  const log = (line: string) => buildLog.push(line);

  const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []): Promise<T[]> =>
    (await db.query(sql, args))[0] as T[];
  const databases = async () => (await q<{ n: string }>('SELECT SCHEMA_NAME n FROM information_schema.SCHEMATA')).map((r) => r.n);
  const freshRegistry = (addr: string, version: string) =>
    q(`SELECT 1 FROM db_tars.t_registry_info WHERE locator_id = ? AND tars_version = ? AND present_state = 'active'
       AND last_heartbeat >= NOW() - INTERVAL 3 SECOND`, [`${addr}:17890`, version]).then((r) => r.length > 0);
  const dbNow = async () => (await q<{ t: string }>('SELECT CAST(NOW() AS CHAR) t'))[0]!.t;
  // a heartbeat written after `since`, so a container that just stopped cannot pass for the new one
  const beatSince = (addr: string, version: string, since: string) =>
    q(`SELECT 1 FROM db_tars.t_registry_info WHERE locator_id = ? AND tars_version = ? AND last_heartbeat > ?`,
      [`${addr}:17890`, version, since]).then((r) => r.length > 0);
  const freshNode = (name: string, version: string) =>
    q(`SELECT 1 FROM db_tars.t_node_info WHERE node_name = ? AND tars_version = ? AND present_state = 'active'
       AND endpoint_port = 19385 AND last_heartbeat >= NOW() - INTERVAL 3 SECOND`, [name, version]).then((r) => r.length > 0);

  async function run(name: string, image: string, env: Record<string, string>): Promise<Docker.Container> {
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    const container = await docker.createContainer({
      name,
      Image: image,
      // fast unless a test asks for the real timing (an empty value counts as unset, as in the real scripts)
      Env: Object.entries({ TARS_HEARTBEAT_SECONDS: '1', TARS_START_SECONDS: '0', TARS_MONITOR_SECONDS: '1', ...env }).map(([k, v]) => `${k}=${v}`),
      HostConfig: { NetworkMode: 'host' },
    });
    await container.start();
    return container;
  }
  const framework = (name: string, version: string, env: Record<string, string>) =>
    run(`sti-${name}`, `${registries[0]}/tarscloud/framework:${version}`, {
      MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(mysqlPort), MYSQL_ROOT_PASSWORD: PASSWORD, ...env,
    });
  async function stopTimed(c: Docker.Container): Promise<number> {
    const t = Date.now();
    await c.stop({ t: 10 });
    return Date.now() - t;
  }
  const logs = async (c: Docker.Container) => String(await c.logs({ stdout: true, stderr: true }));

  before(async () => {
    sh('ip', ['link', 'add', iface, 'type', 'bridge']);
    sh('ip', ['addr', 'add', `${MASTER}/32`, 'dev', iface]);
    sh('ip', ['link', 'set', iface, 'up']);
    const sock = join(dir, 'docker.sock');
    start('dockerd', 'dockerd', ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${sock}`, '--bridge=none', '--iptables=false', '--ip-masq=false']);
    mkdirSync(join(dir, 'auth'));
    writeFileSync(join(dir, 'auth', 'htpasswd'), `${AUTH.username}:${bcrypt.hashSync(AUTH.password, 4)}\n`);
    mysqlPort = await freePort();
    const [, r1, r2] = await Promise.all([
      startMariadb(mysqlPort),
      startRegistry('registry', await freePort()),
      startRegistry('registry-auth', await freePort(), join(dir, 'auth', 'htpasswd')),
    ]);
    registries = [r1, r2];
    docker = new Docker({ socketPath: sock });
    await waitFor('dockerd', () => docker.ping().then(() => true));
    db = mysql.createPool({ host: '127.0.0.1', port: mysqlPort, user: 'root', password: PASSWORD, connectionLimit: 2 });
  });

  after(async () => {
    if (docker) {
      for (const c of await docker.listContainers({ all: true }).catch(() => [])) {
        await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
    }
    await db?.end().catch(() => undefined);
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      // an unref'd timer, so a child that exits at once does not keep the test file alive for the full wait
      await Promise.race([new Promise((ok) => child.once('exit', ok)), new Promise((ok) => setTimeout(ok, 15_000).unref())]);
    }
    spawnSync('ip', ['link', 'del', iface]);
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
    console.log(`${buildLog.join('\n')}\ntimings (ms): ${JSON.stringify(timings)}`);
  });

  it('builds every tag, pushes it to both registries, and a rebuild changes nothing', async () => {
    let t = Date.now();
    const first = await buildLabImages({ docker, registries, auth: AUTH, log });
    timings.buildCold = Date.now() - t;
    assert.deepEqual(first.versions, [...LAB_VERSIONS]);
    // tars-node has only the tags the real one has: flavours, stable and latest, never a version
    assert.deepEqual([...first.nodeTags].sort(), ['cpp', 'full', 'java', 'latest', 'nodejs', 'php', 'stable']);
    assert.equal(first.pushed.length, 2 * (LAB_VERSIONS.length + first.nodeTags.length));
    t = Date.now();
    const again = await buildLabImages({ docker, registries, auth: AUTH, log });
    timings.buildWarm = Date.now() - t;
    // Nothing built and nothing pushed is what makes a warm rebuild cheap; its time is only reported.
    assert.deepEqual([again.built, again.pushed], [[], []]);
    const full = await docker.getImage('tarscloud/tars-node:full').inspect();
    assert.equal((await docker.getImage('tarscloud/tars-node:latest').inspect()).Id, full.Id);
    assert.equal((await docker.getImage('tarscloud/tars-node:stable').inspect()).Id, full.Id);
    // the authenticated registry really serves the image: drop the local tag and pull it back
    const ref = `${registries[1]}/tarscloud/tars-node:stable`;
    await docker.getImage(ref).remove();
    await followProgress(docker, await docker.pull(ref, { authconfig: { ...AUTH, serveraddress: registries[1] } }), 'pull');
    const base = await docker.getImage(first.base).inspect();
    const image = await docker.getImage(`tarscloud/framework:${LAB_STABLE_VERSION}`).inspect();
    assert.equal(image.RootFS.Layers?.[0], base.RootFS.Layers?.[0], 'versions share the base layer');
  });

  it('carries the version files and web sql at the real paths', async () => {
    const c = await docker.createContainer({ Image: `tarscloud/framework:v3.0.14` });
    const archive = await c.getArchive({ path: '/usr/local/tars/cpp/deploy' });
    const files = new Map<string, string>();
    const ex = extract();
    archive.pipe(ex as unknown as NodeJS.WritableStream);
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.set(entry.header.name, Buffer.concat(chunks).toString());
    }
    await c.remove();
    // the inner versions of the real image v3.0.14: TarsFramework 3.0.11 (no newline, as cmake writes it), TarsWeb 3.0.10
    assert.equal(files.get('deploy/FRAMEWORK_VERSION.txt'), '3.0.11');
    assert.equal(JSON.parse(files.get('deploy/web/package.json')!).version, '3.0.10');
    for (const f of ['db_tars_web', 'db_user_system', 'db_base', 'db_cache_web']) assert.ok(files.has(`deploy/web/sql/${f}.sql`), f);
    assert.ok(files.get('deploy/framework/sql/db_tars.sql')?.includes('t_registry_info'));
  });

  it('refuses the loopback address', async () => {
    const c = await framework('lo', LAB_STABLE_VERSION, { INET: 'lo' });
    assert.equal((await c.wait()).StatusCode, 1);
    assert.match(await logs(c), /127\.0\.0\.1/);
  });

  it('master creates the missing databases, heartbeats and serves web', async () => {
    const t = Date.now();
    await framework('master', LAB_STABLE_VERSION, { INET: iface });
    await waitFor('master heartbeat', () => freshRegistry(MASTER, STABLE_FW));
    timings.masterFirstHeartbeatFreshDb = Date.now() - t;
    // TarsWeb starts last, after every server
    await waitFor('master web', () => fetch(`http://${MASTER}:3000/web_version`).then((r) => r.ok));
    const dbs = await databases();
    for (const d of ['db_tars', 'tars_stat', 'tars_property', 'db_tars_web', 'db_user_system', 'db_cache_web']) assert.ok(dbs.includes(d), d);
    assert.ok(await freshNode(MASTER, STABLE_FW));
    const version = await (await fetch(`http://${MASTER}:3000/web_version`)).json();
    assert.deepEqual(version, { webVersion: '3.0.12', frameworkVersion: '3.0.12' });
    const tarsnode = await (await fetch(`http://${MASTER}:3000/get_tarsnode?ip=${NODE}`)).json();
    // and how often its tarsnode reports: this master's heartbeat interval
    assert.deepEqual(tarsnode, { version: STABLE_FW, registries: [`${MASTER}:17890`], heartbeatSeconds: 1 });
  });

  it('a slave joins and registers its servers', async () => {
    await framework('slave', LAB_STABLE_VERSION, { SLAVE: 'true', DOMAIN: SLAVE });
    await waitFor('slave heartbeat', () => freshRegistry(SLAVE, STABLE_FW));
    const rows = await q<{ s: string }>(`SELECT server_name s FROM db_tars.t_server_conf WHERE node_name = ? ORDER BY 1`, [SLAVE]);
    assert.deepEqual(rows.map((r) => r.s), ['tarsconfig', 'tarsnotify', 'tarsqueryproperty', 'tarsquerystat', 'tarsregistry']);
  });

  it('a node joins through a live registry, past a dead one', async () => {
    await run('sti-node', `${registries[1]}/tarscloud/tars-node:stable`, {
      WEB_HOST: `http://${MASTER}:3000`, DOMAIN: NODE, TARS_REGISTRY_ADDRESS: '127.0.99.9:17890',
    });
    await waitFor('node heartbeat', () => freshNode(NODE, STABLE_FW));
    const answer = await new Promise<string>((ok, fail) => {
      const s = connect(17890, SLAVE, () => s.write('NODE 127.0.99.4 v0.0.1\n'));
      s.on('data', (d) => { ok(String(d).trim()); s.end(); });
      s.on('error', fail);
    });
    assert.equal(answer, 'OK');
    assert.ok(await freshNode('127.0.99.4', 'v0.0.1'));
  });

  it('docker stop ends each container by its SIGTERM handler, not by the kill after the grace period', async () => {
    for (const name of ['sti-node', 'sti-slave', 'sti-master']) {
      const c = docker.getContainer(name);
      timings[`stop ${name}`] = await stopTimed(c);
      // Without a handler PID 1 ignores SIGTERM, and docker's SIGKILL after the 10 s grace leaves exit code 137.
      const state = (await c.inspect()).State;
      assert.deepEqual([state.ExitCode, state.OOMKilled], [0, false], `${name} stopped in ${timings[`stop ${name}`]} ms`);
    }
  });

  it('keeps an existing database, and REBUILD=true drops them all', async () => {
    await q('CREATE TABLE db_tars_web.sti_marker (id int)');
    let since = await dbNow();
    const t = Date.now();
    const kept = await framework('master', LAB_STABLE_VERSION, { INET: iface });
    await waitFor('master heartbeat', () => beatSince(MASTER, STABLE_FW, since));
    timings.masterFirstHeartbeat = Date.now() - t;
    assert.equal((await q(`SHOW TABLES FROM db_tars_web LIKE 'sti_marker'`)).length, 1);
    await stopTimed(kept);
    since = await dbNow();
    await framework('master', LAB_STABLE_VERSION, { INET: iface, REBUILD: 'true' });
    await waitFor('rebuilt master heartbeat', () => beatSince(MASTER, STABLE_FW, since));
    assert.equal((await q(`SHOW TABLES FROM db_tars_web LIKE 'sti_marker'`)).length, 0);
    assert.equal((await q(`SELECT 1 FROM db_tars.t_node_info WHERE node_name = ?`, [NODE])).length, 0);
    await stopTimed(docker.getContainer('sti-master'));
  });

  it('a slave exits non-zero when db_tars is missing', async () => {
    await docker.getContainer('sti-master').remove({ force: true }).catch(() => undefined);
    await q('DROP DATABASE db_tars');
    const c = await framework('slave', LAB_STABLE_VERSION, { SLAVE: 'true', DOMAIN: SLAVE });
    assert.notEqual((await c.wait()).StatusCode, 0);
    assert.match(await logs(c), /db_tars/);
    assert.ok(!(await databases()).includes('db_tars'), 'a slave never creates databases');
  });

  it(`${LAB_BAD_VERSION} runs, its tarsAdminRegistry heartbeats, but its registry never starts`, async () => {
    await framework('master', LAB_STABLE_VERSION, { INET: iface });
    await waitFor('master heartbeat', () => freshRegistry(MASTER, STABLE_FW));
    await stopTimed(docker.getContainer('sti-master'));
    const bad = await framework('master', LAB_BAD_VERSION, { INET: iface });
    // Its third failed start comes 4 s after the first: four heartbeat intervals in which a working master beats.
    await waitForLogLine(docker, bad.id, /tarsregistry: failed to start, retrying \(attempt 3\)/);
    assert.equal((await bad.inspect()).State.Running, true);
    // the row a gate must not take for a registry is there; the registry's own is not
    assert.equal((await q(`SELECT 1 FROM db_tars.t_registry_info WHERE locator_id = ? AND tars_version = ?`, [`${MASTER}:12000`, BAD_FW])).length, 1);
    assert.equal((await q(`SELECT 1 FROM db_tars.t_registry_info WHERE locator_id = ? AND tars_version = ?`, [`${MASTER}:17890`, BAD_FW])).length, 0);
    for (const port of [17890, 3000]) assert.equal(await portOpen(MASTER, port), false, `port ${port} must be closed`);
    await stopTimed(bad);
    assert.equal((await bad.inspect()).State.ExitCode, 0, 'it handles SIGTERM');
  });

  it('a master starts like tars-install.sh: t_node_info row first, then every port in order, tarsAdminRegistry first', async () => {
    await docker.getContainer('sti-master').remove({ force: true }).catch(() => undefined);
    await q(`DELETE FROM db_tars.t_node_info WHERE node_name = ?`, [MASTER]);
    await q(`DELETE FROM db_tars.t_registry_info WHERE locator_id LIKE ?`, [`${MASTER}:%`]);
    // the real heartbeat intervals (the next test measures them), and a start slow enough to see its order
    const c = await framework('master', LAB_STABLE_VERSION, { INET: iface, TARS_HEARTBEAT_SECONDS: '', TARS_START_SECONDS: '7' });
    const opened: number[] = [];
    let nodeRowFirst: boolean | undefined;
    await waitFor('every port open', async () => {
      const probe = await Promise.all(MASTER_PORTS.filter((p) => !opened.includes(p)).map(async (p) => [p, await portOpen(MASTER, p)] as const));
      const now = probe.filter(([, open]) => open).map(([p]) => p);
      if (now.length > 0 && opened.length === 0) nodeRowFirst = (await q(`SELECT 1 FROM db_tars.t_node_info WHERE node_name = ?`, [MASTER])).length === 1;
      opened.push(...now.sort((a, b) => MASTER_PORTS.indexOf(a) - MASTER_PORTS.indexOf(b)));
      return opened.length === MASTER_PORTS.length;
    });
    assert.deepEqual(opened, MASTER_PORTS);
    assert.equal(nodeRowFirst, true, "tars_node_init.sql's row is there before any server listens");
    const rows = await q<{ l: string; s: string }>(`SELECT locator_id l, servant s FROM db_tars.t_registry_info WHERE locator_id LIKE ? ORDER BY 1, 2`, [`${MASTER}:%`]);
    assert.deepEqual(rows.map((r) => `${r.l} ${r.s}`), [
      `${MASTER}:12000 tars.tarsAdminRegistry.AdminRegObj`,
      `${MASTER}:17890 tars.tarsregistry.QueryObj`,
      `${MASTER}:17890 tars.tarsregistry.RegistryObj`,
    ]);
    // nodes are told of the registry only, never of tarsAdminRegistry's row
    const tarsnode = (await (await fetch(`http://${MASTER}:3000/get_tarsnode?ip=${NODE}`)).json()) as { registries: string[] };
    assert.deepEqual(tarsnode.registries, [`${MASTER}:17890`]);
    assert.equal((await c.inspect()).State.Running, true);
  });

  it('heartbeats at the real intervals by default: registry 13 s, tarsAdminRegistry 15 s, tarsnode 10 s', async () => {
    const rows = {
      registry: [`SELECT CAST(last_heartbeat AS CHAR) t FROM db_tars.t_registry_info WHERE locator_id = ? AND servant = 'tars.tarsregistry.QueryObj'`, `${MASTER}:17890`, 13],
      adminRegistry: [`SELECT CAST(last_heartbeat AS CHAR) t FROM db_tars.t_registry_info WHERE locator_id = ?`, `${MASTER}:12000`, 15],
      node: [`SELECT CAST(last_heartbeat AS CHAR) t FROM db_tars.t_node_info WHERE node_name = ?`, MASTER, 10],
    } as const;
    const read = async (sql: string, key: string) => (await q<{ t: string }>(sql, [key]))[0]!.t;
    // each row holds the write of its server's start (all ports opened within seconds); the next write comes one interval later
    const gaps = await Promise.all(Object.entries(rows).map(async ([name, [sql, key, interval]]) => {
      const first = await read(sql, key);
      const next = await waitFor(`${name} beat after ${first}`, async () => {
        const now = await read(sql, key);
        return now !== first && now;
      }, 30_000);
      const at = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`);
      return [name, (at(next) - at(first)) / 1000, interval] as const;
    }));
    for (const [name, gap, interval] of gaps) assert.ok(Math.abs(gap - interval) <= 1, `${name}: ${gap} s between beats, the real one is ${interval} s`);
    await stopTimed(docker.getContainer('sti-master'));
  });

  it('a stop lets the running step of the start finish, then exits 0', async () => {
    // 2 s per step: the stop comes while tarsregistry is starting, right after tarsAdminRegistry
    const c = await framework('master', LAB_STABLE_VERSION, { INET: iface, TARS_START_SECONDS: '28' });
    await waitForLogLine(docker, c.id, /tarsAdminRegistry listening/);
    await c.stop({ t: 10 });
    const lines = (await logs(c)).split('\n');
    const signal = lines.findIndex((l) => /SIGTERM received/.test(l));
    assert.ok(signal > 0, 'it logged the signal');
    const after = lines.slice(signal + 1).join('\n');
    assert.match(after, /tarsregistry listening on .*:17890/, 'the step that ran finished');
    assert.doesNotMatch(after, /tarsconfig/, 'no step began after the signal');
    assert.equal(await portOpen(MASTER, 18193), false);
    assert.equal((await c.inspect()).State.ExitCode, 0);
  });

  it('waits for MySQL forever: the container runs, never heartbeats, and its log says what it waits for', async () => {
    const closed = await freePort();
    await q(`DELETE FROM db_tars.t_node_info WHERE node_name = ?`, [MASTER]);
    const c = await framework('master', LAB_STABLE_VERSION, { INET: iface, MYSQL_PORT: String(closed) });
    const line = await waitForLogLine(docker, c.id, /attempt 3\): waiting for MySQL/);
    assert.match(line, new RegExp(`check mysql is not alive .*waiting for MySQL 127\\.0\\.0\\.1:${closed}, try again`));
    assert.equal((await c.inspect()).State.Running, true);
    assert.equal((await q(`SELECT 1 FROM db_tars.t_node_info WHERE node_name = ?`, [MASTER])).length, 0, 'not even the install row');
    await stopTimed(c);
    assert.equal((await c.inspect()).State.ExitCode, 0);
  });
});
