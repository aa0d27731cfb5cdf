import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readLabInfra } from '../../src/lab/index.js';
import { cli, freshCluster, LAB_DIR, LAB_ENV } from '../support/lab.js';
import { hostProblems, mysqlNow } from '../support/outcome.js';
import { startCli } from '../support/rollout.js';

interface CheckDoc {
  updateAvailable: boolean;
  images: { image: string; newest: string | null; digest: string | null; moving: { tag: string; digest: string | null }[] }[];
  hosts: { name: string; image: string; running: string; verdict: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'td-check-'));

async function check(args: string[] = [], envFile?: string): Promise<{ code: number; doc: CheckDoc; stderr: string }> {
  const r = await cli(['--json', 'check', ...args], envFile ? { envFile } : {});
  return { code: r.code, doc: (r.stdout ? JSON.parse(r.stdout) : {}) as CheckDoc, stderr: r.stderr };
}

/** The lab .env pointed at the basic-auth registry, with the given password. */
async function authEnv(password?: string): Promise<string> {
  const infra = await readLabInfra(LAB_DIR);
  const file = join(dir, `auth-${password ? 'wrong' : 'right'}.env`);
  const text = readFileSync(LAB_ENV, 'utf8')
    .replaceAll(infra.registry.plain, infra.registry.auth)
    .replace(/^REGISTRY_USERNAME=.*$/m, `REGISTRY_USERNAME=${infra.registry.username}`)
    .replace(/^REGISTRY_PASSWORD=.*$/m, `REGISTRY_PASSWORD=${password ?? infra.registry.password}`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

describe('check and watch on the lab', () => {
  before(async () => {
    const s = JSON.parse((await cli(['--json', 'status'])).stdout) as { healthy: boolean; hosts: { role: string; version: string }[] };
    if (!s.healthy || s.hosts.some((h) => h.role !== 'node' && h.version !== 'v3.0.14')) await freshCluster('v3.0.14');
  });

  it('at v3.0.14 reports v3.0.17 as newest, every host behind, exit 10', async () => {
    const { code, doc } = await check();
    assert.equal(code, 10);
    assert.equal(doc.updateAvailable, true);
    assert.equal(doc.images[0]!.newest, 'v3.0.17');
    // tars-node has no version tags: no newest version, its moving tags judged by their digests
    const [framework, node] = doc.images;
    assert.match(framework!.digest ?? '', /^sha256:/);
    assert.equal(node!.newest, null);
    assert.match(node!.moving.find((m) => m.tag === 'latest')?.digest ?? '', /^sha256:/, JSON.stringify(node));
    // the nodes run the moving tag latest (tars-node has no version tags): judged by its digest
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.running} ${h.verdict}`), ['h1 v3.0.14 behind', 'h2 v3.0.14 behind', 'h3 latest up-to-date', 'h4 latest up-to-date']);
  });

  it('--exclude and --image narrow the choice', async () => {
    const { doc } = await check(['--exclude', '3\\.0\\.17', '--image', 'framework']);
    assert.deepEqual(doc.images.map((i) => i.newest), ['v3.0.16']);
    assert.deepEqual(doc.hosts.map((h) => h.name), ['h1', 'h2']);
  });

  it('--include keeps only the tags it matches', async () => {
    const { code, doc } = await check(['--include', '^v3\\.0\\.(6|14)$', '--image', 'framework']);
    assert.equal(code, 0, 'the running v3.0.14 is the newest of those');
    assert.deepEqual(doc.images.map((i) => i.newest), ['v3.0.14']);
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.verdict}`), ['h1 up-to-date', 'h2 up-to-date']);
  });

  it('exit 2 for a bad --include, exit 1 for a registry nobody answers on; one line each', async () => {
    const bad = await cli(['check', '--include', '(']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /--include/);
    const env = join(dir, 'dead-registry.env');
    writeFileSync(env, readFileSync(LAB_ENV, 'utf8').replace(/^FRAMEWORK_IMAGE=.*$/m, 'FRAMEWORK_IMAGE=127.0.0.1:9/tarscloud/framework'), { mode: 0o600 });
    const dead = await check(['--image', 'framework'], env);
    assert.equal(dead.code, 1, dead.stderr);
    assert.equal(dead.stderr.trim().split('\n').length, 1, dead.stderr);
    assert.match(dead.stderr, /registry 127\.0\.0\.1:9: unreachable/);
  });

  it('reads the basic-auth registry with the credentials, and fails in one line without the right ones', async () => {
    const ok = await check(['--image', 'framework'], await authEnv());
    assert.equal(ok.doc.images[0]!.newest, 'v3.0.17', ok.stderr);
    const bad = await check(['--image', 'framework'], await authEnv('not-the-password'));
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /registry 10\.213\.7\.1:5001/);
    assert.ok(!bad.stderr.includes('not-the-password'));
  });

  it('watch --once announces a new version once to each --notify, and again only when something changes', async () => {
    const bodies: string[][] = [[], []];
    const receivers = bodies.map((got) =>
      createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          got.push((JSON.parse(body) as { text: string }).text);
          res.end('ok');
        });
      }),
    );
    await Promise.all(receivers.map((r) => new Promise<void>((ok) => r.listen(0, '127.0.0.1', ok))));
    const notify = receivers.flatMap((r) => ['--notify', `http://127.0.0.1:${(r.address() as AddressInfo).port}/hook`]);
    const state = join(dir, 'watch-state.json');
    try {
      for (let i = 0; i < 2; i++) {
        const r = await cli(['watch', '--once', ...notify, '--state', state]);
        assert.equal(r.code, 0, r.stderr);
      }
      for (const got of bodies) {
        assert.equal(got.length, 1, 'an unchanged registry is announced once');
        assert.match(got[0]!, /newest version is v3\.0\.17/);
      }
      const remembered = JSON.parse(readFileSync(state, 'utf8')) as { delivered: Record<string, string[]> };
      assert.equal(Object.keys(remembered.delivered).length, 2, 'one entry per notifier');
      for (const keys of Object.values(remembered.delivered)) assert.ok(keys.some((k) => /^version\|.*framework\|v3\.0\.17$/.test(k)), keys.join(' '));
      // Excluding v3.0.17 makes v3.0.16 the newest: that is news, told once more to each.
      const r = await cli(['watch', '--once', ...notify, '--state', state, '--exclude', '3\\.0\\.17']);
      assert.equal(r.code, 0, r.stderr);
      for (const got of bodies) {
        assert.equal(got.length, 2, 'a changed newest version is announced again');
        assert.match(got[1]!, /newest version is v3\.0\.16/);
        assert.doesNotMatch(got[1]!, /v3\.0\.17/);
      }
    } finally {
      for (const r of receivers) r.close();
    }
  });

  it('watch --cron checks at start and on its schedule, announces, and stops cleanly on SIGTERM', async () => {
    let posts = 0;
    let firstPost!: () => void;
    const posted = new Promise<void>((ok) => (firstPost = ok));
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posts += 1;
        res.end('ok');
        firstPost();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const run = startCli(['--json', 'watch', '--cron', '*/5 * * * * *', '--notify', url, '--state', join(dir, 'cron-state.json')]);
    try {
      await Promise.race([posted, run.done]);
      assert.equal(run.child.exitCode, null, 'still watching after the first announcement');
      run.child.kill('SIGTERM');
      const done = await run.done;
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.stderr.trim().split('\n').at(-1), 'watch stopped');
      assert.ok((JSON.parse(done.stdout) as { cycles: number }).cycles >= 1);
      assert.equal(posts, 1);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      receiver.close();
    }
  });

  it('after an upgrade to the newest good version the hosts are up to date', async () => {
    const since = await mysqlNow();
    const up = await cli(['--yes', '--json', 'upgrade', '--to', 'v3.0.16']);
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(await hostProblems({ version: 'v3.0.16', since }), []);
    const { code, doc } = await check(['--exclude', '3\\.0\\.17']);
    assert.equal(code, 0);
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.running} ${h.verdict}`), ['h1 v3.0.16 up-to-date', 'h2 v3.0.16 up-to-date', 'h3 latest up-to-date', 'h4 latest up-to-date']);
  });
});
