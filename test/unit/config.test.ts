import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { ExitCode, InputError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'td-config-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
// The TLS and identity files the good inventory names exist, as the reader demands.
mkdirSync(join(dir, 'certs'));
for (const f of ['certs/ca.pem', 'certs/cert.pem', 'certs/key.pem', 'id_ed25519']) write(f, 'x');
const goodEnv = 'MYSQL_HOST=10.0.0.5\nMYSQL_PORT=3306\nMYSQL_ROOT_PASSWORD=s3cret-pw\nREBUILD=false\n';
const goodInv = `project: tars
hosts:
  - name: h1
    role: master
    address: 10.0.0.11
    docker: { endpoint: unix:///var/run/docker.sock }
  - name: h2
    role: node
    address: 10.0.0.12
    docker:
      endpoint: tcp://10.0.0.12:2376
      tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem }
  - name: h3
    role: slave
    address: 10.0.0.13
    docker: { endpoint: "ssh://deploy@10.0.0.13:2222", identityFile: id_ed25519 }
`;

function expectInputError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.exitCode, ExitCode.badInput);
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
}

describe('configuration', () => {
  it('loads a valid .env and inventory into one typed config', () => {
    const c = loadConfig({ envFile: write('a.env', goodEnv), inventory: write('a.yml', goodInv) });
    assert.deepEqual(c.mysql, { host: '10.0.0.5', port: 3306, user: 'root', password: 's3cret-pw' });
    assert.equal(c.images.framework, 'tarscloud/framework');
    assert.deepEqual(c.hosts.map((h) => [h.name, h.role, h.docker.kind]), [['h1', 'master', 'unix'], ['h2', 'node', 'tcp'], ['h3', 'slave', 'ssh']]);
    const tcp = c.hosts[1]!.docker;
    assert.ok(tcp.kind === 'tcp' && tcp.tls.ca === join(dir, 'certs/ca.pem'), 'relative TLS paths resolve against the inventory');
    const ssh = c.hosts[2]!.docker;
    assert.ok(ssh.kind === 'ssh' && ssh.user === 'deploy' && ssh.port === 2222);
  });

  it('checks ssh host keys against the OpenSSH files and the inventory\'s own, which --accept-new-host-keys writes', () => {
    const byDefault = loadConfig({ envFile: write('k.env', goodEnv), inventory: write('k.yml', goodInv) });
    const own = join(dir, 'known_hosts');
    assert.deepEqual(byDefault.hostKeys, { files: [join(homedir(), '.ssh/known_hosts'), '/etc/ssh/ssh_known_hosts', own], recordTo: own, acceptNew: false });
    const ssh = byDefault.hosts[2]!.docker;
    assert.ok(ssh.kind === 'ssh' && ssh.hostKeys === byDefault.hostKeys, 'every ssh endpoint carries the policy');
    const named = loadConfig({ envFile: write('k.env', goodEnv), inventory: write('k2.yml', `knownHosts: keys/hosts\n${goodInv}`), acceptNewHostKeys: true });
    assert.equal(named.hostKeys.recordTo, join(dir, 'keys/hosts'));
    assert.equal(named.hostKeys.acceptNew, true);
    const v6 = loadConfig({ envFile: write('k.env', goodEnv), inventory: write('k3.yml', goodInv.replace('10.0.0.13:2222', '[fd00::13]:2222')) });
    assert.ok(v6.hosts[2]!.docker.kind === 'ssh' && v6.hosts[2]!.docker.host === 'fd00::13', 'an IPv6 ssh host loses its brackets');
  });

  it('names file and line of a malformed .env line', () => {
    const env = write('bad1.env', 'MYSQL_HOST=1.2.3.4\nthis is not an assignment\n');
    expectInputError(() => loadConfig({ envFile: env, inventory: write('b.yml', goodInv) }), /bad1\.env:2: not a KEY=VALUE line/);
  });

  it('names the key of a bad .env value', () => {
    const env = write('bad2.env', 'MYSQL_HOST=1.2.3.4\nMYSQL_PORT=abc\n');
    expectInputError(() => loadConfig({ envFile: env, inventory: write('c.yml', goodInv) }), /bad2\.env: MYSQL_PORT must be a port number/);
  });

  it('names file and key path of a bad inventory entry', () => {
    const inv = write('bad.yml', goodInv.replace('role: node', 'role: worker'));
    expectInputError(() => loadConfig({ envFile: write('d.env', goodEnv), inventory: inv }), /bad\.yml: hosts\[1\]\.role /);
  });

  it('rejects YAML that does not parse, plain tcp, and a second master', () => {
    const envFile = write('e.env', goodEnv);
    expectInputError(() => loadConfig({ envFile, inventory: write('y1.yml', 'hosts: [\n') }), /y1\.yml: not valid YAML/);
    const plain = goodInv.replace(/tls: \{[^}]*\}/, '');
    expectInputError(() => loadConfig({ envFile, inventory: write('y2.yml', plain) }), /y2\.yml: hosts\[1\]\.docker .*needs tls/);
    const twoMasters = goodInv.replace('role: slave', 'role: master');
    expectInputError(() => loadConfig({ envFile, inventory: write('y3.yml', twoMasters) }), /exactly one master/);
  });

  it('names the key of a TLS or identity file that is missing or a folder, and a bad or repeated address', () => {
    expectInputError(() => loadConfig({ envFile: write('f.env', goodEnv), inventory: write('f1.yml', goodInv.replace('certs/ca.pem', 'certs/none.pem')) }),
      /f1\.yml: hosts\[1\]\.docker\.tls\.ca \S+certs\/none\.pem does not exist$/);
    expectInputError(() => loadConfig({ envFile: write('f.env', goodEnv), inventory: write('f2.yml', goodInv.replace('key: certs/key.pem', 'key: certs')) }),
      /f2\.yml: hosts\[1\]\.docker\.tls\.key \S+certs is not a regular file$/);
    expectInputError(() => loadConfig({ envFile: write('f.env', goodEnv), inventory: write('f3.yml', goodInv.replace('identityFile: id_ed25519', 'identityFile: id_none')) }),
      /f3\.yml: hosts\[2\]\.docker\.identityFile \S+id_none does not exist$/);
    expectInputError(() => loadConfig({ envFile: write('f.env', goodEnv), inventory: write('f4.yml', goodInv.replace('10.0.0.12\n', '999.1.2.3\n')) }),
      /f4\.yml: hosts\[1\]\.address must be an IP address or a DNS name$/);
    expectInputError(() => loadConfig({ envFile: write('f.env', goodEnv), inventory: write('f5.yml', goodInv.replace('10.0.0.12\n', 'not an address\n')) }),
      /f5\.yml: hosts\[1\]\.address must be an IP address or a DNS name$/);
    expectInputError(() => loadConfig({ envFile: write('f.env', goodEnv), inventory: write('f6.yml', goodInv.replace('10.0.0.13\n', '10.0.0.11\n')) }),
      /f6\.yml: hosts\[2\]\.address 10\.0\.0\.11 is already the address of h1$/);
  });

  it('reports a missing file as bad input', () => {
    expectInputError(() => loadConfig({ envFile: join(dir, 'nope.env'), inventory: write('f.yml', goodInv) }), /nope\.env: cannot read env file \(ENOENT\)/);
  });
});
