import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { labConnect } from '../../src/lab/clients.js';
import { writeLabConfig } from '../../src/lab/config-files.js';
import { labDown } from '../../src/lab/down.js';
import { readLabInfra } from '../../src/lab/infra.js';
import { currentLabDir } from '../../src/lab/lock.js';
import { runBase } from '../../src/lab/paths.js';
import { isAlive } from '../../src/lab/proc.js';
import { labAddHost, labUp } from '../../src/lab/up.js';
import type { LabInfra, LabState } from '../../src/lab/types.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../.lab-infra-test');
const other = currentLabDir();
const skip =
  process.platform !== 'linux' || process.getuid?.() !== 0
    ? 'needs root on Linux'
    : other && other !== DIR
      ? `another lab is up in ${other}`
      : false;

const quiet = () => {};
const seconds = (t: number) => ((Date.now() - t) / 1000).toFixed(1);
const state = (): LabState => JSON.parse(readFileSync(join(DIR, 'state.json'), 'utf8')) as LabState;
const pids = () => Object.fromEntries(Object.entries(state().processes).map(([k, r]) => [k, r.pid]));

/** The bridge's MAC and h2's, as the machine and the hosts address them. */
function macs(): string[] {
  const mac = (args: string[]) => /link\/ether (\S+)/.exec(execFileSync('ip', args, { encoding: 'utf8' }))?.[1] ?? 'none';
  return [mac(['link', 'show', 'tdlab0']), mac(['-n', 'tdlab-h2', 'link', 'show', 'eth0'])];
}

/** A root filesystem of /bin/true and /bin/cat plus the libraries ldd names: an image without a base. */
function importTinyImage(socket: string, ref: string): void {
  const root = mkdtempSync(join(tmpdir(), 'tdlab-rootfs-'));
  try {
    for (const bin of ['/bin/true', '/bin/cat']) {
      const libs = execFileSync('ldd', [bin], { encoding: 'utf8' }).match(/\/\S+/g) ?? [];
      for (const file of [bin, ...libs]) {
        mkdirSync(join(root, dirname(file)), { recursive: true });
        copyFileSync(file, join(root, file));
      }
    }
    execFileSync('sh', ['-c', `tar -C ${root} -c . | docker -H unix://${socket} import -c 'CMD ["/bin/true"]' - ${ref}`]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function docker(socket: string, ...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

describe('lab infrastructure', { skip }, () => {
  let infra: LabInfra;
  let upTime = '';
  // What another server's live temporary table looks like in /tmp: a MariaDB starting up deletes such files in
  // its tmpdir.
  const canary = join(tmpdir(), `#sql-tdcanary-${process.pid}.MAI`);

  before(async () => {
    writeFileSync(canary, '');
    const t = Date.now();
    infra = await labUp({ dir: DIR, hosts: 2 }, quiet);
    upTime = seconds(t);
  });

  // Whatever failed above, nothing of the lab may outlive the test run.
  after(async () => {
    rmSync(canary, { force: true });
    await labDown(DIR, quiet);
  });

  test('every host answers over unix, tcp+TLS and ssh, each reaching its own engine', async (t) => {
    t.diagnostic(`labUp with 2 hosts: ${upTime} s`);
    for (const host of infra.hosts) {
      for (const kind of ['unix', 'tcp', 'ssh'] as const) {
        const conn = await labConnect(infra, host, kind);
        const info = (await conn.docker.info().finally(() => conn.close())) as { DockerRootDir: string };
        assert.equal(info.DockerRootDir, join(DIR, 'hosts', host.name, 'data'), `${host.name} over ${kind}`);
      }
    }
  });

  test('a host-network container runs inside the host namespace', () => {
    const [h1] = infra.hosts;
    assert.ok(h1);
    const socket = h1.endpoints.unix.replace('unix://', '');
    importTinyImage(socket, 'tdlab-test/tiny:1');
    assert.equal(docker(socket, 'run', '--rm', '--net', 'host', 'tdlab-test/tiny:1').status, 0);
    const seen = docker(socket, 'run', '--rm', '--net', 'host', 'tdlab-test/tiny:1', '/bin/cat', '/proc/net/fib_trie');
    assert.equal(seen.status, 0);
    assert.match(seen.stdout, /10\.213\.7\.11/);
    assert.doesNotMatch(seen.stdout, /10\.213\.7\.12\b/);
  });

  test('hosts push to and pull from the registries and reach each other over the bridge', () => {
    const [h1, h2] = infra.hosts;
    assert.ok(h1 && h2);
    const s1 = h1.endpoints.unix.replace('unix://', '');
    const s2 = h2.endpoints.unix.replace('unix://', '');
    // A private client config, so the login below never touches root's ~/.docker.
    const config = mkdtempSync(join(tmpdir(), 'tdlab-docker-config-'));
    try {
      for (const reg of [infra.registry.plain, infra.registry.auth]) {
        if (reg === infra.registry.auth) {
          const login = spawnSync('docker', ['--config', config, '-H', `unix://${s1}`, 'login', reg, '-u', infra.registry.username, '--password-stdin'],
            { input: infra.registry.password, encoding: 'utf8' });
          assert.equal(login.status, 0, login.stderr);
        }
        assert.equal(docker(s1, 'tag', 'tdlab-test/tiny:1', `${reg}/tdlab-test/tiny:1`).status, 0);
        assert.equal(docker(s1, '--config', config, 'push', `${reg}/tdlab-test/tiny:1`).status, 0, `push to ${reg}`);
      }
      assert.equal(docker(s2, 'pull', `${infra.registry.plain}/tdlab-test/tiny:1`).status, 0, 'pull on h2');
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
    const { ca, clientCert, clientKey } = infra.certs;
    const cross = spawnSync('nsenter', [`--net=/run/netns/tdlab-${h2.name}`, 'docker', '-H', h1.endpoints.tcp, '--tlsverify',
      `--tlscacert=${ca}`, `--tlscert=${clientCert}`, `--tlskey=${clientKey}`, 'info', '--format', '{{.DockerRootDir}}'], { encoding: 'utf8' });
    assert.equal(cross.stdout.trim(), join(DIR, 'hosts', 'h1', 'data'), 'h2 reaches h1 over tcp+TLS');
  });

  test('registries answer /v2/, the second one only with credentials', async () => {
    assert.equal((await fetch(`http://${infra.registry.plain}/v2/`)).status, 200);
    assert.equal((await fetch(`http://${infra.registry.auth}/v2/`)).status, 401);
    const basic = Buffer.from(`${infra.registry.username}:${infra.registry.password}`).toString('base64');
    const ok = await fetch(`http://${infra.registry.auth}/v2/`, { headers: { authorization: `Basic ${basic}` } });
    assert.equal(ok.status, 200);
  });

  test('MariaDB on the bridge accepts the lab password and root may grant', async () => {
    const { host, port, user, password } = infra.mysql;
    const conn = await mysql.createConnection({ host, port, user, password });
    try {
      const [rows] = await conn.query("SELECT Grant_priv AS g FROM mysql.user WHERE User = 'root' AND Host = '%'");
      assert.deepEqual(rows, [{ g: 'Y' }]);
    } finally {
      await conn.end();
    }
    await assert.rejects(mysql.createConnection({ host, port, user, password: 'wrong' }));
  });

  test("the lab's MariaDB keeps its temporary files in the lab, and leaves other servers' ones in /tmp alone", async () => {
    const { host, port, user, password } = infra.mysql;
    const conn = await mysql.createConnection({ host, port, user, password });
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT @@tmpdir AS dir');
      assert.equal(rows[0]!.dir, join(DIR, 'mysql', 'tmp'));
    } finally {
      await conn.end();
    }
    assert.ok(existsSync(canary), `${canary} survived the start of the lab's MariaDB`);
  });

  test('lab config files are written 0600 with every endpoint kind', async () => {
    const three = { ...infra, hosts: [...infra.hosts, { ...infra.hosts[0]!, name: 'h3', address: '10.213.7.13', endpoints: { unix: 'unix:///x', tcp: 'tcp://10.213.7.13:2376', ssh: 'ssh://root@10.213.7.13:22' } }] };
    const files = writeLabConfig(three, { frameworkImage: '10.213.7.1:5000/tarscloud/framework', nodeImage: '10.213.7.1:5000/tarscloud/tars-node' });
    assert.equal(statSync(files.envFile).mode & 0o777, 0o600);
    assert.equal(statSync(files.inventory).mode & 0o777, 0o600);
    assert.match(readFileSync(files.envFile, 'utf8'), /^MYSQL_HOST=10\.213\.7\.1\nMYSQL_PORT=3306\nMYSQL_USER=root\nMYSQL_ROOT_PASSWORD=\w+\nREBUILD=false\n/);
    const inv = readFileSync(files.inventory, 'utf8');
    assert.match(inv, /role: master\n {4}address: 10\.213\.7\.11\n {4}docker:\n {6}endpoint: unix:\/\//);
    assert.match(inv, /endpoint: tcp:\/\/10\.213\.7\.12:2376\n {6}tls: \{ ca: \/\S+ca\.pem, cert: \S+, key: \S+ \}/);
    assert.match(inv, /role: node\n[^]*endpoint: ssh:\/\/root@10\.213\.7\.13:22\n {6}identityFile: \//);
  });

  test('up again is fast and keeps every process', async (t) => {
    const before = pids();
    const started = Date.now();
    await labUp({ dir: DIR, hosts: 2 }, quiet);
    t.diagnostic(`labUp again: ${seconds(started)} s`);
    assert.ok(Date.now() - started < 10_000, 'warm labUp under 10 s');
    assert.deepEqual(pids(), before);
  });

  test('up recovers a host whose processes were killed', async () => {
    const before = pids();
    const macsBefore = macs();
    for (const key of ['h2.dockerd', 'h2.sshd']) process.kill(before[key]!, 'SIGKILL');
    await labUp({ dir: DIR, hosts: 2 }, quiet);
    const now = pids();
    assert.notEqual(now['h2.dockerd'], before['h2.dockerd']);
    assert.equal(now['h1.dockerd'], before['h1.dockerd']);
    // The rebuilt host keeps its MACs, so no neighbour keeps sending to a veth that is gone.
    assert.deepEqual(macs(), macsBefore);
    const h2 = (await readLabInfra(DIR)).hosts[1]!;
    await (await labConnect(infra, h2, 'ssh')).close();
  });

  test('add-host starts one more host reachable over ssh', async () => {
    const host = await labAddHost(DIR, quiet);
    assert.equal(host.name, 'h3');
    assert.equal(host.address, '10.213.7.13');
    const fresh = await readLabInfra(DIR);
    await (await labConnect(fresh, host, 'ssh')).close();
  });

  test('down leaves no process, namespace, link, mount or file', async () => {
    const recorded = Object.values(pids());
    const run = runBase(DIR);
    await labDown(DIR, quiet);
    assert.deepEqual(recorded.filter(isAlive), []);
    assert.doesNotMatch(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }), /tdlab-/);
    assert.doesNotMatch(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }), /\b(tdl-h\d+|tdlab0)\b/);
    const mounts = readFileSync('/proc/mounts', 'utf8');
    assert.ok(!mounts.includes(DIR) && !mounts.includes(run) && !mounts.includes('/run/netns/tdlab-'), 'no lab mounts');
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    assert.ok(!ps.includes(DIR) && !ps.includes(run), 'no process names a lab path');
    assert.ok(!existsSync(DIR) && !existsSync(run));
    await labDown(DIR, quiet); // and once more, with nothing up
  });
});
