import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readLabInfra, type LabHost, type LabInfra } from '../../src/lab/index.js';
import { cli, freshCluster, LAB_DIR, LAB_INVENTORY, labConfig, snapshotContainers } from '../support/lab.js';

const VERSION = 'v3.0.14';
const tmp = mkdtempSync(join(tmpdir(), 'td-host-keys-'));
// The CLI runs with an empty home, so no known_hosts of whoever runs the tests can vouch for a lab host.
const HOME = join(tmp, 'home');
mkdirSync(HOME);

/** `SHA256:...` as OpenSSH's own ssh-keygen prints it, to compare against what tars-docker shows. */
const fingerprintOf = (pubFile: string) => execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(' ')[1]!;
const pubLine = (pubFile: string) => readFileSync(pubFile, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

/** A copy of the lab inventory with its own known-hosts file, and h3 optionally reached at another ssh endpoint. */
function inventory(name: string, knownHosts: string, h3Endpoint?: string): string {
  let text = `knownHosts: ${knownHosts}\n${readFileSync(LAB_INVENTORY, 'utf8').replace(/^knownHosts:.*\n/m, '')}`;
  if (h3Endpoint) text = text.replace('ssh://root@10.213.7.13:22', h3Endpoint);
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'tars-docker.yml'), text);
  return join(dir, 'tars-docker.yml');
}

const run = (args: string[], inv?: string) => cli(args, { env: { HOME }, ...(inv ? { inventory: inv } : {}) });

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** An sshd of this test on 127.0.0.1:port whose sessions all become `docker system dial-stdio` on h3's engine. */
class TestSshd {
  readonly hostKey = join(tmp, 'sshd', 'ssh_host_ed25519_key');
  private child: ChildProcess | undefined;

  constructor(readonly port: number, private readonly infra: LabInfra, private readonly h3: LabHost) {}

  async start(): Promise<void> {
    const dir = join(tmp, 'sshd');
    mkdirSync(dir, { recursive: true });
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    if (!existsSync(this.hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', this.hostKey]);
    const docker = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
    const config = join(dir, 'sshd_config');
    writeFileSync(config, [
      `ListenAddress 127.0.0.1:${this.port}`, `HostKey ${this.hostKey}`, `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
      `AuthorizedKeysFile ${join(this.infra.dir, 'ssh', 'authorized_keys')}`, 'StrictModes no', 'UsePAM no',
      'PermitTTY no', 'LogLevel INFO', 'SetEnv SHLVL=1',
      `ForceCommand env DOCKER_HOST=${this.h3.endpoints.unix} ${docker} system dial-stdio`, '',
    ].join('\n'));
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    await new Promise<void>((ok, fail) => {
      let log = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk;
        if (/Server listening on 127\.0\.0\.1 port/.test(log)) ok();
      });
      child.once('exit', (code) => fail(new Error(`sshd exited (${code}): ${log}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  }

  /** What an operator sees after reinstalling a machine: the same address answering with a new host key. */
  async regenerateKey(): Promise<void> {
    await this.stop();
    rmSync(this.hostKey, { force: true });
    rmSync(`${this.hostKey}.pub`, { force: true });
    await this.start();
  }
}

describe('ssh host keys on the lab', () => {
  let infra: LabInfra;
  let h3: LabHost;
  let sshd: TestSshd;

  before(async () => {
    const s = JSON.parse((await run(['--json', 'status'])).stdout || '{}') as { healthy?: boolean; hosts?: unknown[] };
    if (!s.healthy || s.hosts?.length !== 4) await freshCluster(VERSION);
    infra = await readLabInfra(LAB_DIR);
    h3 = infra.hosts.find((h) => h.name === 'h3')!;
    sshd = new TestSshd(await freePort(), infra, h3);
    await sshd.start();
  });

  after(async () => {
    await sshd?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const h3Key = () => join(LAB_DIR, 'hosts', 'h3', 'ssh_host_ed25519_key.pub');

  it('a host whose key lab up recorded connects, verified', async () => {
    assert.ok(readFileSync(infra.knownHosts, 'utf8').includes(`10.213.7.13 ${pubLine(h3Key())}`), 'lab up wrote h3\'s key');
    const r = await run(['--json', 'status']);
    assert.equal(r.code, 0, r.stderr);
    const h = (JSON.parse(r.stdout) as { hosts: { name: string; healthy: boolean; endpoint: string }[] }).hosts.find((x) => x.name === 'h3')!;
    assert.equal(h.healthy, true);
    assert.ok(h.endpoint.startsWith('ssh://'));
  });

  it('an unknown key is refused with its fingerprint, and --accept-new-host-keys records it', async () => {
    const known = join(tmp, 'unknown', 'known_hosts');
    const inv = inventory('unknown', known);
    const fp = fingerprintOf(h3Key());
    const refused = await run(['--json', 'status'], inv);
    assert.equal(refused.code, 2, refused.stderr);
    const doc = JSON.parse(refused.stdout) as { error: { code: number; host?: string } };
    assert.deepEqual([doc.error.code, doc.error.host], [2, 'h3'], 'the --json document carries the refusal');
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.ok(refused.stderr.includes(`h3: host key of 10.213.7.13 is not known: ssh-ed25519 ${fp}`), refused.stderr);
    assert.match(refused.stderr, /--accept-new-host-keys to record it in .*unknown\/known_hosts/);
    assert.equal(existsSync(known), false, 'a refusal records nothing');

    const accepted = await run(['--accept-new-host-keys', '--json', 'status'], inv);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.ok(accepted.stderr.includes(`h3: recorded host key ssh-ed25519 ${fp}`), accepted.stderr);
    assert.equal(readFileSync(known, 'utf8'), `10.213.7.13 ${pubLine(h3Key())}\n`);
    const again = await run(['--json', 'status'], inv);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
  });

  it('scale add-host over ssh shows the fingerprint it accepted', async () => {
    const members = new Set(labConfig().hosts.map((h) => h.address));
    let spare = infra.hosts.find((h) => !members.has(h.address));
    if (!spare) {
      const r = await run(['--json', 'lab', 'add-host', '--dir', LAB_DIR]);
      assert.equal(r.code, 0, r.stderr);
      spare = JSON.parse(r.stdout) as LabHost;
    }
    const inv = inventory('add-host', join(tmp, 'add-host', 'known_hosts'));
    const args = ['scale', 'add-host', spare.endpoints.ssh, '--identity-file', infra.sshKey, '--role', 'node', '--dry-run'];
    const refused = await run(args, inv);
    assert.equal(refused.code, 2, refused.stderr);
    const r = await run(['--accept-new-host-keys', ...args], inv);
    assert.equal(r.code, 0, r.stderr);
    const fp = fingerprintOf(join(LAB_DIR, 'hosts', spare.name, 'ssh_host_ed25519_key.pub'));
    assert.ok(r.stdout.includes(`host key ssh-ed25519 ${fp} (new, recorded in ${join(tmp, 'add-host', 'known_hosts')})`), r.stdout);
  });

  it('a hashed known_hosts entry for [127.0.0.1]:port connects', async () => {
    const known = join(tmp, 'hashed-known_hosts');
    writeFileSync(known, `[127.0.0.1]:${sshd.port} ${pubLine(`${sshd.hostKey}.pub`)}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', known], { stdio: 'ignore' });
    assert.ok(readFileSync(known, 'utf8').startsWith('|1|'), 'ssh-keygen hashed the entry');
    const r = await run(['--json', 'status'], inventory('hashed', known, `ssh://root@127.0.0.1:${sshd.port}`));
    assert.equal(r.code, 0, r.stderr);
    const h = (JSON.parse(r.stdout) as { hosts: { name: string; healthy: boolean; endpoint: string }[] }).hosts.find((x) => x.name === 'h3')!;
    assert.deepEqual([h.healthy, h.endpoint], [true, `ssh://root@127.0.0.1:${sshd.port}`]);
  });

  it('a host whose sshd key was regenerated is refused even with the flag, and nothing changes anywhere', async () => {
    const known = join(tmp, 'changed-known_hosts');
    const oldFp = fingerprintOf(`${sshd.hostKey}.pub`);
    writeFileSync(known, `[127.0.0.1]:${sshd.port} ${pubLine(`${sshd.hostKey}.pub`)}\n`);
    const inv = inventory('changed', known, `ssh://root@127.0.0.1:${sshd.port}`);
    await sshd.regenerateKey();
    const newFp = fingerprintOf(`${sshd.hostKey}.pub`);
    const knownBefore = readFileSync(known, 'utf8');
    const before = await snapshotContainers();
    const r = await run(['--accept-new-host-keys', '--yes', 'upgrade', '--to', 'v3.0.16'], inv);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(`h3: HOST KEY CHANGED for [127.0.0.1]:${sshd.port}: it offered ssh-ed25519 ${newFp}, known is ${oldFp}`), r.stderr);
    assert.equal(readFileSync(known, 'utf8'), knownBefore, 'the old key stays, the new one is not recorded');
    assert.deepEqual(await snapshotContainers(), before, 'no container on any host was touched');
    assert.equal(existsSync(join(tmp, 'changed', '.tars-docker')), false, 'no journal, no backup');
  });
});
