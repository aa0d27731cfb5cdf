// Issue 11, "Done when": adopt of a cluster's engines writes the inventory status is healthy on; bad input gives one
// line, exit 2, and writes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { HostConfig } from '../../src/config/types.js';
import { cli, freshCluster, labConfig } from '../support/lab.js';
import { dockerRun, tarsContainers, withEngine } from '../support/hand-made.js';
import { status } from '../support/rollout.js';

const config = labConfig();
const [h1, h2, h3, h4] = config.hosts as [HostConfig, HostConfig, HostConfig, HostConfig];
const tls = h2.docker.kind === 'tcp' ? h2.docker.tls : undefined;
const key = h3.docker.kind === 'ssh' ? h3.docker.identityFile : undefined;
const access = ['--tls-ca', tls!.ca, '--tls-cert', tls!.cert, '--tls-key', tls!.key, '--identity-file', key!];

describe('adopt', () => {
  before(async () => {
    const s = await status();
    if (!s.healthy) await freshCluster('v3.0.14');
  });

  it("adopt of the four engines gives tars-docker's own inventory back, and status is healthy on it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-adopt-'));
    const out = join(dir, 'tars-docker.yml');
    const r = await cli(['--json', 'adopt', ...config.hosts.map((h) => h.docker.url), ...access, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { hosts: { role: string; address: string; origin: string }[] };
    assert.deepEqual(doc.hosts.map((h) => `${h.role} ${h.address} ${h.origin}`), config.hosts.map((h) => `${h.role} ${h.address} tars-docker`));
    const s = await cli(['status'], { inventory: out });
    assert.equal(s.code, 0, s.stdout);
  });

  it('--from-db takes the hosts from db_tars.t_node_info and reaches each over ssh', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'td-adopt-')), 'tars-docker.yml');
    const r = await cli(['--json', 'adopt', '--from-db', '--ssh-user', 'root', '--identity-file', key!, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { hosts: { role: string; address: string }[] };
    assert.deepEqual(doc.hosts.map((h) => `${h.role} ${h.address}`), config.hosts.map((h) => `${h.role} ${h.address}`));
    const s = await cli(['status'], { inventory: out });
    assert.equal(s.code, 0, s.stdout);
  });

  /** One stderr line matching `line`, exit 2, and the directory exactly as it was. */
  async function refused(args: string[], line: RegExp, dir = mkdtempSync(join(tmpdir(), 'td-adopt-bad-'))): Promise<void> {
    const before = readdirSync(dir).sort();
    const r = await cli(['adopt', ...args, '--out', join(dir, 'tars-docker.yml'), '--env-out', join(dir, '.env')]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, line);
    assert.deepEqual(readdirSync(dir).sort(), before, 'nothing was written');
  }

  it('an unreachable endpoint', async () => {
    await refused([h1.docker.url, 'unix:///nonexistent/docker.sock'], /^tars-docker: unix:\/\/\/nonexistent\/docker\.sock: cannot reach Docker: /);
  });

  it('an engine with no running Tars container', async () => {
    const c = (await tarsContainers(h4)).find((x) => x.running)!;
    await withEngine(h4, (d) => d.getContainer(c.id).stop({ t: 5 }));
    try {
      await refused([h1.docker.url, h4.docker.url], new RegExp(`^tars-docker: ${h4.docker.url.replace(/[/.]/g, '\\$&')}: no running Tars container \\(stopped: ${c.name}\\)$`));
    } finally {
      await withEngine(h4, (d) => d.getContainer(c.id).start());
    }
  });

  it('two masters', async () => {
    const id = await dockerRun(h4, {
      name: 'second-master', image: `${config.images.framework}:v3.0.14`, network: 'bridge', binds: [],
      env: [`MYSQL_HOST=${config.mysql.host}`, 'SLAVE=false', 'INET=eth0'], cmd: ['node', '-e', 'setInterval(() => {}, 1 << 30)'],
    });
    try {
      await refused([h1.docker.url, h4.docker.url], /^tars-docker: 2 masters \(SLAVE not true\): tars-framework on \S+ and second-master on \S+; a cluster has one$/);
    } finally {
      await withEngine(h4, (d) => d.getContainer(id).remove({ force: true }));
    }
  });

  it('--out that exists, without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-adopt-bad-'));
    writeFileSync(join(dir, 'tars-docker.yml'), 'mine\n');
    await refused([h1.docker.url], /^tars-docker: --out \S+tars-docker\.yml exists; give --force to overwrite it$/, dir);
  });

  it('TLS files that do not exist', async () => {
    await refused([h2.docker.url, '--tls-ca', '/nonexistent/ca.pem', '--tls-cert', tls!.cert, '--tls-key', tls!.key], /^tars-docker: --tls-ca \/nonexistent\/ca\.pem: no such file$/);
  });
});
