// Issue 14 item 5: inventory hooks around an upgrade, through the CLI on the lab. A failing pre-upgrade hook leaves
// the cluster exactly as it was; the hooks run in order with the run's facts and no secret in their env; a failing
// pre-host hook stops before its host; a run resumed after a SIGKILL does not run a finished hook again.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LAB_GOOD_VERSIONS } from '../../src/lab/images.js';
import { cli, freshCluster, snapshotContainers } from '../support/lab.js';
import { stateChanges } from '../support/cluster-state.js';
import { fourHosts } from '../support/four-hosts.js';
import { clusterProblems, history, killAtStep } from '../support/rollout.js';

const dir = mkdtempSync(join(tmpdir(), 'td-hooks-lab-'));
const lab = fourHosts(dir);
const { files } = lab;
const config = lab.config;
const LOG = join(dir, 'hooks.log');
const line = 'echo "$TARS_DOCKER_HOOK ${TARS_DOCKER_HOST:--} $TARS_DOCKER_FROM $TARS_DOCKER_TO $TARS_DOCKER_RUN_ID" >> hooks.log';

const withHooks = (hooks: string) => lab.write(`hooks:\n${hooks}`);

/** The hook log as `hook host` lines (the versions and run id checked separately). */
function logged(): { hook: string; host: string; from: string; to: string; runId: string }[] {
  if (!existsSync(LOG)) return [];
  return readFileSync(LOG, 'utf8').trim().split('\n').map((l) => {
    const [hook, host, from, to, runId] = l.split(' ') as [string, string, string, string, string];
    return { hook, host, from, to, runId };
  });
}

describe('upgrade hooks on the lab', () => {
  let from = '';
  let to = '';

  before(async () => {
    lab.write();
    const s = await lab.status();
    from = s.hosts[0]!.version ?? '';
    if (!s.healthy || !LAB_GOOD_VERSIONS.includes(from) || s.hosts.some((h) => h.version !== from)) {
      await freshCluster('v3.0.14');
      from = 'v3.0.14';
    }
    // Either direction serves: the hooks do not care, and no extra install is needed to get below the target.
    to = from === 'v3.0.16' ? 'v3.0.14' : 'v3.0.16';
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a failing pre-upgrade hook: exit 1 naming it, no step after it, the cluster untouched, no secret in its env', async () => {
    withHooks('  pre-upgrade: \'env > pre-upgrade.env; echo "change freeze until Monday"; exit 3\'\n  pre-host: "touch pre-host-ran"\n');
    const c = config();
    const before = await lab.state();
    const r = await cli(['upgrade', '--to', to, '--allow-downgrade', '--yes'], {
      ...files,
      // an operator's shell that exported the password, once plainly and once inside a URL
      env: { MYSQL_ROOT_PASSWORD: c.mysql.password, OPS_DSN: `mysql://root:${c.mysql.password}@${c.mysql.host}/` },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      `tars-docker: hook pre-upgrade failed (exit code 3): change freeze until Monday; nothing was changed; the upgrade did not start`,
    ]);
    assert.deepEqual(stateChanges(before, await lab.state()), []);
    assert.ok(!existsSync(join(dir, 'pre-host-ran')));
    const journal = readFileSync(join(dir, '.tars-docker', 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; step?: string });
    assert.deepEqual(journal.map((e) => `${e.event} ${e.step ?? ''}`.trim()), ['run-start', 'step-start hook:pre-upgrade', 'step-failed hook:pre-upgrade', 'run-end']);
    const last = (await history())[0]!;
    assert.equal(last.outcome, 'failed');
    assert.match(last.message ?? '', /^hook pre-upgrade failed/);

    const env = readFileSync(join(dir, 'pre-upgrade.env'), 'utf8');
    for (const v of ['TARS_DOCKER_HOOK=pre-upgrade', `TARS_DOCKER_RUN_ID=${last.runId}`, `TARS_DOCKER_FROM=${from}`, `TARS_DOCKER_TO=${to}`, 'TARS_DOCKER_MODE=upgrade', 'TARS_DOCKER_HOST=']) {
      assert.ok(env.split('\n').includes(v), `${v} in the hook's env`);
    }
    assert.ok(!env.includes(c.mysql.password), 'the MySQL password is not in the hook\'s env');
    assert.ok(!/MYSQL_ROOT_PASSWORD|OPS_DSN/.test(env));
  });

  it('hooks around every host in order; a failing pre-host stops before its host; a resumed run skips finished hooks', async () => {
    withHooks([
      `  pre-upgrade: '${line}'`,
      `  pre-host: '${line}; [ "$TARS_DOCKER_HOST" != h3 ] || [ ! -e block-h3 ]'`,
      `  post-host: { command: '${line}', timeout: 30 }`,
      `  post-upgrade: '${line}'`,
      '',
    ].join('\n'));
    const upgrade = ['upgrade', '--to', to, '--allow-downgrade', '--yes'];
    const dry = await cli(['--json', ...upgrade, '--dry-run'], files);
    assert.equal(dry.code, 0, dry.stderr);
    const ids = (JSON.parse(dry.stdout) as { plan: { steps: { id: string; kind: string }[] } }).plan.steps.filter((s) => s.kind === 'hook').map((s) => s.id);
    assert.deepEqual(ids, ['hook:pre-upgrade', ...['h1', 'h2', 'h3', 'h4'].flatMap((h) => [`hook:pre-host:${h}`, `hook:post-host:${h}`]), 'hook:post-upgrade']);

    const untouched = await snapshotContainers(config());
    // killed while h2's old container is stopped: pre-host h2 had finished
    const k = await killAtStep(upgrade, 'restart:h2', { barrier: 'h2.stopped', files });
    assert.equal(k.result.signal, 'SIGKILL', `killed at h2.stopped; it exited ${k.result.code}: ${k.result.stderr}`);
    assert.deepEqual(logged().map((l) => `${l.hook} ${l.host}`), ['pre-upgrade -', 'pre-host h1', 'post-host h1', 'pre-host h2']);
    const runId = logged()[0]!.runId;

    writeFileSync(join(dir, 'block-h3'), '');
    const resumed = await cli(['upgrade', '--resume', '--yes'], files);
    assert.equal(resumed.code, 1, resumed.stderr);
    assert.equal(resumed.stderr.trim(), 'tars-docker: hook pre-host for h3 failed (exit code 1); h3 was not touched; the upgrade stopped before it');
    assert.deepEqual(logged().slice(4).map((l) => `${l.hook} ${l.host}`), ['post-host h2', 'pre-host h3'], 'no finished hook ran again');
    const now = await snapshotContainers(config());
    assert.deepEqual(now.filter((c) => ['h3', 'h4'].includes(c.host)), untouched.filter((c) => ['h3', 'h4'].includes(c.host)));

    rmSync(join(dir, 'block-h3'));
    const rest = await cli(upgrade, files);
    assert.equal(rest.code, 0, rest.stderr);
    const third = logged().slice(6);
    assert.deepEqual(third.map((l) => `${l.hook} ${l.host}`), ['pre-upgrade -', 'pre-host h3', 'post-host h3', 'pre-host h4', 'post-host h4', 'post-upgrade -']);
    assert.ok(logged().slice(0, 6).every((l) => l.runId === runId && l.to === to && l.from === from), 'one run id, resumed');
    assert.ok(third.every((l) => l.runId !== runId && l.to === to), 'a new run after the failed one');
    assert.deepEqual(clusterProblems(await lab.waitAt(to), to), []);
  });
});
