import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { engineHost } from '../../src/docker/engine-host.js';
import { discoverHost, mainContainer } from '../../src/cluster/discover.js';
import { openConnection } from '../../src/db/connection.js';
import { TARS_DATABASES } from '../../src/db/tars-databases.js';
import { waitForLogLine } from '../support/container-log.js';
import { cli, freshCluster, LAB_ENV, labConfig, labInventoryText, snapshotContainers } from '../support/lab.js';
import { packageCopy } from '../support/package-copy.js';

const VERSION = 'v3.0.14';
const dir = mkdtempSync(join(tmpdir(), 'td-guard-'));
// The compose files tars-docker reads sit beside its dist/: the tests that change them change a copy.
const pkg = packageCopy();
const COMPOSE = join(pkg.composeDir, 'framework.yml');
const composeOriginal = readFileSync(COMPOSE, 'utf8');

interface Finding {
  id: string;
  severity: string;
  message: string;
  source: { kind: string; file?: string; line?: number; host?: string; container?: string };
}

function envWith(name: string, rebuildLine: string): string {
  const file = join(dir, name);
  writeFileSync(file, readFileSync(LAB_ENV, 'utf8').replace(/^REBUILD=.*$/m, rebuildLine), { mode: 0o600 });
  return file;
}

async function findings(args: string[] = [], opts: Parameters<typeof cli>[1] = {}): Promise<{ code: number; findings: Finding[] }> {
  const r = await cli(['--json', 'guard', ...args], opts);
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings };
}

/** The one finding `pred` picks; a test that finds none fails with every finding there was. */
function theFinding(list: Finding[], pred: (f: Finding) => boolean, what: string): Finding {
  const found = list.filter(pred);
  assert.equal(found.length, 1, `${what}: ${JSON.stringify(list)}`);
  return found[0]!;
}

async function databases(): Promise<string[]> {
  const db = await openConnection(labConfig().mysql, { values: 'native' });
  try {
    const [rows] = (await db.query('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?)', [TARS_DATABASES])) as unknown as [{ n: string }[]];
    return rows.map((r) => r.n).sort();
  } finally {
    await db.end();
  }
}

/** Every mutating command refuses with exit 3 and one line, and no container or database changed. */
async function assertBlocked(opts: Parameters<typeof cli>[1]): Promise<void> {
  const before = await snapshotContainers();
  const dbs = await databases();
  const commands = [
    ['install', '--version', VERSION],
    ['--yes', 'upgrade', '--to', 'v3.0.16'],
    ['--yes', 'rollback', '--to', 'v3.0.6'],
    ['--yes', 'scale', 'add-host', 'unix:///run/nonexistent.sock', '--role', 'node', '--address', '10.213.7.99'],
  ];
  for (const args of commands) {
    const r = await cli(args, opts);
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /REBUILD/);
  }
  assert.deepEqual(await snapshotContainers(), before);
  assert.deepEqual(await databases(), dbs);
}

describe('guard on the lab', () => {
  before(async () => {
    const s = JSON.parse((await cli(['--json', 'status'])).stdout) as { healthy: boolean };
    if (!s.healthy) await freshCluster(VERSION);
  });
  after(() => pkg.remove());

  it('is clean on the lab as installed', async () => {
    const r = await findings();
    assert.equal(r.code, 0, JSON.stringify(r.findings));
  });

  it('REBUILD=true in the .env is found with file and line, and blocks every mutating command', async () => {
    const env = envWith('rebuild.env', 'REBUILD=true');
    const r = await findings([], { envFile: env });
    assert.equal(r.code, 3);
    const f = theFinding(r.findings, (x) => x.id === 'rebuild-true', 'REBUILD=true in the .env');
    assert.deepEqual([f.source.kind, f.source.file, f.source.line], ['env-file', env, 5]);
    await assertBlocked({ envFile: env });
  });

  it('REBUILD=true in an env_file that a compose file names is found and blocks', async () => {
    const named = join(dir, 'named.env');
    writeFileSync(named, '# extra settings\nREBUILD=true\n');
    writeFileSync(COMPOSE, composeOriginal.replace('    environment:\n', `    env_file: ${named}\n    environment:\n`));
    try {
      const r = await findings([], { bin: pkg.bin });
      const f = theFinding(r.findings, (x) => x.id === 'rebuild-true', 'REBUILD=true in a named env_file');
      assert.deepEqual([f.source.kind, f.source.file, f.source.line], ['env-file', named, 2]);
      await assertBlocked({ bin: pkg.bin });
    } finally {
      writeFileSync(COMPOSE, composeOriginal);
    }
  });

  it('REBUILD=true in a compose file is found with its line and blocks', async () => {
    writeFileSync(COMPOSE, composeOriginal.replace('REBUILD: "false"', 'REBUILD: "true"'));
    try {
      const line = composeOriginal.split('\n').findIndex((l) => l.includes('REBUILD: "false"')) + 1;
      assert.ok(line > 0, 'the compose file sets REBUILD');
      const f = theFinding((await findings([], { bin: pkg.bin })).findings, (x) => x.id === 'rebuild-true', 'REBUILD=true in the compose file');
      assert.deepEqual([f.source.kind, f.source.file, f.source.line], ['compose', COMPOSE, line]);
      await assertBlocked({ bin: pkg.bin });
    } finally {
      writeFileSync(COMPOSE, composeOriginal);
    }
    const extra = join(dir, 'extra.yml');
    writeFileSync(extra, 'services:\n  framework:\n    image: tarscloud/framework:v3.0.16\n    environment:\n      - REBUILD=TRUE\n');
    const f = theFinding((await findings(['--compose', extra])).findings, (x) => x.source.file === extra && x.id === 'rebuild-not-false', 'REBUILD=TRUE in a --compose file');
    assert.equal(f.source.line, 5);
  });

  it('REBUILD=true in the shell environment is found and blocks', async () => {
    const f = theFinding((await findings([], { env: { REBUILD: 'true' } })).findings, (x) => x.id === 'rebuild-true', 'REBUILD=true in the shell');
    assert.equal(f.source.kind, 'shell');
    await assertBlocked({ env: { REBUILD: 'true' } });
  });

  it('guard --fix rewrites only the REBUILD line of the files it found', async () => {
    const env = join(dir, 'fix.env');
    const original = `# cluster settings\n${readFileSync(LAB_ENV, 'utf8').replace(/^REBUILD=.*$/m, 'REBUILD=true   # set by the installer')}\n# end\n`;
    writeFileSync(env, original, { mode: 0o600 });
    const r = await cli(['--json', 'guard', '--fix'], { envFile: env });
    assert.equal(r.code, 0, r.stdout);
    const fixed = readFileSync(env, 'utf8').split('\n');
    const lines = original.split('\n');
    assert.equal(fixed.length, lines.length);
    const changed = lines.map((l, i) => (l === fixed[i] ? -1 : i)).filter((i) => i >= 0);
    assert.equal(changed.length, 1);
    assert.match(fixed[changed[0]!]!, /^REBUILD=false\s+# set by the installer$/);
  });

  it('reports a slave with SLAVE=false and a node without DOMAIN', async () => {
    const inv = join(dir, 'inv.yml');
    writeFileSync(inv, labInventoryText());
    let text = readFileSync(inv, 'utf8');
    text = text.replace(/(  - name: h2\n(?:    .*\n)*?)(    docker:)/, '$1    env: { SLAVE: "false" }\n$2');
    text = text.replace(/(  - name: h3\n(?:    .*\n)*?)(    docker:)/, '$1    env: { DOMAIN: "" }\n$2');
    writeFileSync(inv, text);
    const r = await findings([], { inventory: inv });
    assert.equal(r.code, 3);
    theFinding(r.findings, (f) => f.id === 'slave-mismatch' && f.source.file === inv, 'SLAVE=false on a slave');
    assert.ok(r.findings.some((f) => f.id === 'node-domain-missing' && /h3/.test(`${f.source.host ?? ''}${f.message}`)), JSON.stringify(r.findings));
  });

  it('a master restarted by hand with REBUILD=true really drops the databases; guard finds it and tars-docker refuses', async () => {
    const config = labConfig();
    const master = config.hosts[0]!;
    const db = await openConnection(config.mysql, { values: 'native' });
    const conn = await connectEngine(master);
    try {
      await db.query('CREATE TABLE IF NOT EXISTS db_tars_web.t_guard_marker (id INT PRIMARY KEY)');
      await db.query('INSERT IGNORE INTO db_tars_web.t_guard_marker VALUES (1), (2), (3)');
      const ours = mainContainer(await discoverHost(config, master, engineHost(conn)));
      assert.ok(ours, `the Tars container on ${master.name}`);
      assert.ok(ours.env.includes('REBUILD=false'), 'tars-docker creates containers with REBUILD=false');
      await conn.docker.getContainer(ours.id).stop({ t: 5 });
      const env = ours.env.map((e) => (e.startsWith('REBUILD=') ? 'REBUILD=true' : e));
      const byHand = await conn.docker.createContainer({ name: 'by-hand-master', Image: ours.image, Env: env, HostConfig: { NetworkMode: 'host' } });
      await byHand.start();
      await waitForLogLine(conn.docker, byHand.id, /REBUILD=true: dropped /);
      const [rows] = (await db.query(
        `SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA='db_tars_web' AND TABLE_NAME='t_guard_marker'`,
      )) as unknown as [{ n: number }[]];
      assert.equal(Number(rows[0]!.n), 0, 'REBUILD=true on the master dropped db_tars_web (the marker table is gone)');
      const r = await findings();
      const f = theFinding(r.findings, (x) => x.id === 'rebuild-true' && x.source.kind === 'container', 'the hand-made container');
      assert.deepEqual([f.source.host, f.source.container], [master.name, 'by-hand-master']);
      const before = await snapshotContainers();
      const up = await cli(['--yes', 'upgrade', '--to', 'v3.0.16']);
      assert.equal(up.code, 3, up.stderr);
      assert.deepEqual(await snapshotContainers(), before);
    } finally {
      await conn.docker.getContainer('by-hand-master').remove({ force: true }).catch(() => undefined);
      await conn.close();
      await db.end();
      await freshCluster(VERSION);
    }
  });
});
