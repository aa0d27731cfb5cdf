// Issue 17 item 3: flags no other test drove through the CLI, on the shared lab cluster as it is (any healthy
// version). Nothing here restarts a container: each case is a refusal, a cancelled confirmation, or works on files
// and on databases and tables of its own, and proves the cluster's containers and journal were left alone.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { LAB_BAD_VERSION, LAB_GOOD_VERSIONS } from '../../src/lab/images.js';
import { openConnection } from '../../src/db/connection.js';
import { cli, freshCluster, LAB_ENV, LAB_INVENTORY, labConfig, labInventoryText, snapshotContainers, trustLabHosts, type ContainerSnapshot } from '../support/lab.js';
import { JOURNAL, status } from '../support/rollout.js';
import { runCli } from '../support/cli.js';
import { runOnTerminal } from '../support/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'td-flags-'));
const OTHER_DB = 'td_flags_other';
const RESTORED = ['td_flags_tars', 'td_flags_web', 'td_flags_user'];
const PROBE = 't_td_flags_probe';
const HISTORY = 'tars_docker_migrations';

async function query<T>(sql: string, args: unknown[] = []): Promise<T[]> {
  const conn = await openConnection(labConfig().mysql);
  try {
    return ((await conn.query(sql, args)) as unknown as [T[]])[0];
  } finally {
    await conn.end();
  }
}

async function tablesOf(db: string): Promise<string[]> {
  return (await query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [db])).map((r) => r.t);
}

/** Every table's definition: equal values mean the database's schema did not change. */
async function definitions(db: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tablesOf(db)) {
    const [def] = await query<{ 'Create Table': string }>(`SHOW CREATE TABLE \`${db}\`.\`${t}\``);
    out[t] = def!['Create Table'].replace(/ AUTO_INCREMENT=\d+/, '');
  }
  return out;
}

const journalText = () => {
  try {
    return readFileSync(JOURNAL, 'utf8');
  } catch {
    return '';
  }
};

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  return lines[0]!;
}

describe('flags through the CLI on the lab', () => {
  let containers: ContainerSnapshot[];
  let journal = '';

  before(async () => {
    // `ahead` below needs a lab version older than the master's
    const s = await status();
    if (!s.healthy || LAB_GOOD_VERSIONS.indexOf(s.hosts[0]!.version ?? '') < 1) await freshCluster('v3.0.14');
    containers = await snapshotContainers();
    journal = journalText();
  });
  after(async () => {
    for (const db of [OTHER_DB, ...RESTORED]) await query(`DROP DATABASE IF EXISTS \`${db}\``);
    await query(`DROP TABLE IF EXISTS db_user_system.\`${PROBE}\``);
    await query(`DROP TABLE IF EXISTS db_tars_web.\`${PROBE}\``);
  });

  /** No container of the cluster was recreated or restarted, and no rollout was journaled. */
  async function clusterUntouched(): Promise<void> {
    assert.deepEqual(await snapshotContainers(), containers, 'no container was touched');
    assert.equal(journalText(), journal, 'no run was journaled');
  }

  it('without --env-file and --inventory the .env and tars-docker.yml of the working folder are read', async () => {
    const work = mkdtempSync(join(dir, 'cwd-'));
    copyFileSync(LAB_ENV, join(work, '.env'));
    writeFileSync(join(work, 'tars-docker.yml'), labInventoryText());
    const r = await runCli(['--json', 'status'], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { healthy: boolean; hosts: { name: string; endpoint: string }[] };
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.endpoint}`), labConfig().hosts.map((h) => `${h.name} ${h.docker.url}`));
    const elsewhere = await runCli(['status'], { cwd: mkdtempSync(join(dir, 'empty-')) });
    assert.equal(elsewhere.code, 2, elsewhere.stderr);
    assert.match(oneLine(elsewhere.stderr), /\.env: cannot read env file \(ENOENT\)$/);
  });

  it('upgrade on a terminal without --yes shows the plan, asks, and answering no changes nothing', async () => {
    // The never-healthy release is the newest tag, so whatever good version runs there is a plan to confirm.
    const r = await runOnTerminal(['--env-file', LAB_ENV, '--inventory', LAB_INVENTORY, 'upgrade', '--to', LAB_BAD_VERSION], 'n\n');
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, new RegExp(`^upgrade \\S+ -> ${LAB_BAD_VERSION.replace(/\./g, '\\.')}: \\d+ steps$`, 'm'), 'the plan comes before the question');
    assert.match(r.stdout, /^ *\d+\. restart +h1 /m);
    assert.match(r.stdout, new RegExp(`upgrade the cluster to ${LAB_BAD_VERSION.replace(/\./g, '\\.')}\\? \\[y/N\\]`));
    assert.equal(r.stdout.trim().split('\n').at(-1), 'tars-docker: cancelled; nothing was changed');
    await clusterUntouched();
  });

  it('rollback without --to when no upgrade of the project ever succeeded: exit 2, one line, nothing changed', async () => {
    // A project of its own has no history; the containers are the lab's, so a wrong refusal would show on them.
    const copy = mkdtempSync(join(dir, 'nohistory-'));
    const inventory = join(copy, 'tars-docker.yml');
    const text = labInventoryText();
    writeFileSync(inventory, /^project:/m.test(text) ? text.replace(/^project: .*$/m, 'project: tdnohistory') : `project: tdnohistory\n${text}`);
    const r = await cli(['--yes', 'rollback'], { inventory });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(oneLine(r.stderr), 'tars-docker: no successful upgrade in the history to roll back; give --to VERSION');
    assert.deepEqual(readdirSync(copy).sort(), ['tars-docker.yml'], 'no journal beside the inventory');
    await clusterUntouched();
  });

  it('backup create without --db takes the three Tars databases; --other-db backs up any database, and it verifies', async () => {
    const backups = mkdtempSync(join(dir, 'backups-'));
    const created = await cli(['--json', 'backup', 'create', '--backup-dir', backups]);
    assert.equal(created.code, 0, created.stderr);
    const doc = JSON.parse(created.stdout) as { id: string; databases: { name: string; tables: { name: string }[] }[] };
    assert.deepEqual(doc.databases.map((d) => d.name).sort(), ['db_tars', 'db_tars_web', 'db_user_system']);
    const manifest = JSON.parse(readFileSync(join(backups, doc.id, 'manifest.json'), 'utf8')) as { databases: { name: string; tables: { name: string }[] }[] };
    for (const db of manifest.databases) assert.deepEqual(db.tables.map((t) => t.name).sort(), (await tablesOf(db.name)).sort(), `${db.name}: every table`);

    await query(`CREATE DATABASE \`${OTHER_DB}\` CHARACTER SET utf8mb4`);
    await query(`CREATE TABLE \`${OTHER_DB}\`.t (id int PRIMARY KEY, v varchar(20))`);
    await query(`INSERT INTO \`${OTHER_DB}\`.t VALUES (1, 'a'), (2, 'b'), (3, '汉字')`);
    const other = await cli(['--json', 'backup', 'create', '--db', OTHER_DB, '--other-db', '--backup-dir', backups]);
    assert.equal(other.code, 0, other.stderr);
    const otherDoc = JSON.parse(other.stdout) as { id: string; databases: { name: string; tables: { name: string; rows: number }[] }[] };
    assert.deepEqual(otherDoc.databases.map((d) => `${d.name} ${d.tables.map((t) => `${t.name}=${t.rows}`).join(',')}`), [`${OTHER_DB} t=3`]);
    const verified = await cli(['backup', 'verify', otherDoc.id, '--backup-dir', backups]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.equal(verified.stdout.trim(), `backup ${otherDoc.id} verified`);

    // restore --db: of the three databases in the first backup only the one named comes back, under its new name.
    const restore = await cli(['--yes', '--json', 'backup', 'restore', doc.id, '--db', 'db_tars_web', '--backup-dir', backups,
      '--rename', 'db_tars=td_flags_tars', '--rename', 'db_tars_web=td_flags_web', '--rename', 'db_user_system=td_flags_user']);
    assert.equal(restore.code, 0, restore.stderr);
    const web = manifest.databases.find((d) => d.name === 'db_tars_web')!;
    assert.deepEqual((await tablesOf('td_flags_web')).sort(), web.tables.map((t) => t.name).sort());
    assert.deepEqual(await tablesOf('td_flags_tars'), [], 'db_tars was not restored');
    assert.deepEqual(await tablesOf('td_flags_user'), [], 'db_user_system was not restored');
    await clusterUntouched();
  });

  it('migrate apply --db --schema-dir changes only that database; verify --db judges only it', async () => {
    // Schema files that declare one new table each: every live table the files leave out is a kept difference,
    // never a step, so the only change a migration may make is the new table in the databases it was given.
    const schemaDir = mkdtempSync(join(dir, 'schema-'));
    const create = `CREATE TABLE \`${PROBE}\` (\n  \`id\` int NOT NULL,\n  \`note\` varchar(64) DEFAULT NULL,\n  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`;
    for (const f of ['db_tars_web.sql', 'db_user_system.sql']) writeFileSync(join(schemaDir, f), create);
    const backups = mkdtempSync(join(dir, 'migrate-backups-'));
    const web = await definitions('db_tars_web');
    const user = await definitions('db_user_system');
    assert.ok(!(PROBE in web) && !(PROBE in user), 'no probe table yet');
    const args = ['--to', 'v3.0.16', '--schema-dir', schemaDir, '--backup-dir', backups];

    const r = await cli(['--json', 'migrate', 'apply', ...args, '--db', 'db_user_system']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { ok: boolean; databases: { live: string; applied: { step: { id: string } }[] }[] };
    assert.equal(doc.ok, true);
    assert.deepEqual(doc.databases.map((d) => `${d.live}: ${d.applied.map((s) => s.step.id).join(', ')}`), [`db_user_system: ${PROBE}: create table`]);
    // Independently of the tool: the new table is in db_user_system, db_tars_web is exactly as it was.
    // (A migrated database also holds the runner's own history table, tars_docker_migrations.)
    const { [PROBE]: probe, [HISTORY]: _history, ...userRest } = await definitions('db_user_system');
    assert.match(probe ?? '', /`note` varchar\(64\)/);
    assert.deepEqual(userRest, Object.fromEntries(Object.entries(user).filter(([t]) => t !== HISTORY)), 'the other tables of db_user_system as they were');
    assert.deepEqual(await definitions('db_tars_web'), web, 'db_tars_web exactly as it was');

    const only = await cli(['migrate', 'verify', ...args, '--db', 'db_user_system']);
    assert.equal(only.code, 0, only.stdout + only.stderr);
    assert.match(only.stdout, /^db_user_system: 0 safe changes missing, /m);
    assert.doesNotMatch(only.stdout, /db_tars_web/);
    const both = await cli(['migrate', 'verify', ...args]);
    assert.equal(both.code, 1, both.stdout + both.stderr);
    assert.match(both.stdout, /^db_tars_web: 1 safe changes missing, /m);
    assert.match(both.stdout, /^db_user_system: 0 safe changes missing, /m);
    await clusterUntouched();
  });

  it('watch --once tells Slack, WeCom, DingTalk and a webhook at once, each in its own format; --image and --include narrow the check', async () => {
    const got: { path: string; query: URLSearchParams; body: Record<string, unknown> }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        got.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(body) as Record<string, unknown> });
        res.setHeader('content-type', 'application/json');
        res.end(url.pathname === '/hook' || url.pathname === '/slack' ? 'ok' : '{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const secret = 'SECdingtalk-sign-secret-0123456789';
    const state = join(dir, 'watch-kinds.json');
    try {
      const r = await cli(['watch', '--once', '--image', 'framework', '--include', '^v3\\.0\\.(14|16)$', '--state', state,
        '--notify', `slack+${base}/slack`, `wecom+${base}/wecom?key=wecom-key-0123456789abcdef`, `dingtalk+${base}/dingtalk?access_token=t0k&secret=${secret}`, `${base}/hook`]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), 'the DingTalk secret is never printed');
      assert.deepEqual(got.map((g) => g.path).sort(), ['/dingtalk', '/hook', '/slack', '/wecom'], 'one message to each');
      const at = (path: string) => got.find((g) => g.path === path)!.body;
      // --include leaves v3.0.14 and v3.0.16 of the registry's tags (v3.0.17 is the newest of them all)
      assert.match(String(at('/slack').text), /newest version is v3\.0\.16\b/);
      assert.deepEqual(Object.keys(at('/slack')), ['text']);
      for (const path of ['/wecom', '/dingtalk']) {
        assert.equal(at(path).msgtype, 'text', path);
        assert.equal((at(path).text as { content: string }).content, at('/slack').text, `${path} carries the same text`);
      }
      const hook = at('/hook') as { source: string; report: { images: { image: string }[] } };
      assert.equal(hook.source, 'tars-docker');
      assert.deepEqual(hook.report.images.map((i) => i.image.replace(/^.*\//, '')), ['framework'], '--image framework checked the framework image only');
      // DingTalk's "sign" security: the secret stays here, a timestamp and its HMAC travel instead.
      const ding = got.find((g) => g.path === '/dingtalk')!.query;
      assert.equal(ding.get('secret'), null);
      assert.equal(ding.get('access_token'), 't0k');
      const timestamp = ding.get('timestamp') ?? '';
      assert.match(timestamp, /^\d{13}$/);
      assert.equal(ding.get('sign'), createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
      const remembered = JSON.parse(readFileSync(state, 'utf8')) as { delivered: Record<string, string[]> };
      assert.equal(Object.keys(remembered.delivered).length, 4, 'one entry per notifier');
    } finally {
      receiver.close();
    }
  });

  it('check: framework hosts newer than the newest tag --include allows are `ahead`, which is no update (exit 0)', async () => {
    const running = (await status()).hosts[0]!.version!;
    const older = LAB_GOOD_VERSIONS[LAB_GOOD_VERSIONS.indexOf(running) - 1]!;
    const include = `^${older.replace(/\./g, '\\.')}$`;
    const r = await cli(['--json', 'check', '--image', 'framework', '--include', include]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { updateAvailable: boolean; images: { newest: string }[]; hosts: { name: string; running: string; verdict: string; reason: string }[] };
    assert.deepEqual([doc.updateAvailable, doc.images.map((i) => i.newest)], [false, [older]]);
    assert.equal(doc.hosts[0]?.running, running);
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.verdict}: ${h.reason}`), doc.hosts.map((h) => `${h.name} ahead: runs ${h.running}, newer than the newest allowed ${older}`));
    assert.deepEqual(doc.hosts.map((h) => h.name), ['h1', 'h2'], 'the framework hosts');
    const plain = await cli(['check', '--image', 'framework', '--include', include]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^  h1 +\S+ +ahead \(runs /m);
    assert.equal(plain.stdout.trim().split('\n').at(-1), 'everything up to date');
  });

  it('adopt --force overwrites an existing --out with the inventory of the engines', async () => {
    const config = labConfig();
    const adoptDir = mkdtempSync(join(dir, 'adopt-'));
    trustLabHosts(adoptDir);
    const out = join(adoptDir, 'tars-docker.yml');
    writeFileSync(out, 'an operator file that adopt may replace only with --force\n');
    const [, h2, h3] = config.hosts;
    const tls = h2!.docker.kind === 'tcp' ? h2!.docker.tls : undefined;
    const key = h3!.docker.kind === 'ssh' ? h3!.docker.identityFile : undefined;
    assert.ok(tls && key, 'the lab has a tcp+TLS and an ssh host');
    const r = await cli(['adopt', ...config.hosts.map((h) => h.docker.url), '--tls-ca', tls.ca, '--tls-cert', tls.cert, '--tls-key', tls.key,
      '--identity-file', key, '--out', out, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^wrote ${out.replace(/[/.]/g, '\\$&')}$`, 'm'));
    const written = parse(readFileSync(out, 'utf8')) as { hosts: { role: string; address: string }[] };
    assert.deepEqual(written.hosts.map((h) => `${h.role} ${h.address}`), config.hosts.map((h) => `${h.role} ${h.address}`));
    await clusterUntouched();
  });
});
