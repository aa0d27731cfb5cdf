import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import type { Config, HostConfig } from '../../src/config/types.js';
import type { Hooks } from '../../src/config/hooks.js';
import { InputError } from '../../src/errors.js';
import { executePlan } from '../../src/rollout/execute.js';
import { owedPostHostHooks, withHooks } from '../../src/rollout/hook-plan.js';
import { hookEnv, runHookCommand } from '../../src/rollout/hooks.js';
import type { JournalEvent, JournalStore } from '../../src/rollout/journal.js';
import { planRollout, resumePlan } from '../../src/rollout/plan.js';
import { renderPlan } from '../../src/rollout/plan-render.js';
import type { PlanStep } from '../../src/rollout/plan-steps.js';
import type { HostContainers } from '../../src/cluster/discover.js';
import type { TarsContainer } from '../../src/docker/tars-containers.js';

const dir = mkdtempSync(join(tmpdir(), 'td-hooks-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const env = write('.env', 'MYSQL_HOST=10.0.0.5\nMYSQL_ROOT_PASSWORD=s3cret-pw\n');
const inventory = (hooks: string) =>
  write('inv.yml', `hosts:\n  - name: h1\n    role: master\n    address: 10.0.0.11\n    docker: { endpoint: unix:///var/run/docker.sock }\n${hooks}`);

const h = (name: string, role: HostConfig['role']): HostConfig => ({
  name, role, address: `10.0.0.${name.slice(1)}`, docker: { kind: 'unix', url: 'unix:///s', socketPath: '/s' },
});
const config = {
  project: 'tars',
  mysql: { host: 'db', port: 3306, user: 'root', password: 'pw' },
  images: { framework: 'tarscloud/framework', node: 'tarscloud/tars-node', nodeTag: 'latest' },
  hosts: [h('h1', 'master'), h('h2', 'slave'), h('h3', 'node'), h('h4', 'node')],
} satisfies Pick<Config, 'hosts' | 'images' | 'project' | 'mysql'>;
const container = (name: string, image: string, id: string): TarsContainer => ({
  id: id.padEnd(64, '0'), name, image, imageId: 'sha256:x', state: 'running', restarting: false, startedAt: '', restartCount: 0,
  labels: {}, env: [], restartPolicy: { Name: 'always', MaximumRetryCount: 0 }, kind: image.includes('node') ? 'node' : 'framework',
  slave: false, origin: 'hand', composeFiles: [], running: true, keeps: ['bind /data/tars -> /data/tars'],
});
const at = (v: string): Record<string, HostContainers> => Object.fromEntries(config.hosts.map((x, i) => {
  const node = x.role === 'node';
  return [x.name, { name: node ? 'tars-node' : 'tars-framework', current: container(node ? 'tars-node' : 'tars-framework', node ? 'tarscloud/tars-node:latest' : `tarscloud/framework:${v}`, `a${i + 1}`), leftovers: [] }];
}));
/** Both nodes run latest at the digest the registry still serves: the master moving restarts them in place. */
const nodes = Object.fromEntries(['h3', 'h4'].map((n) => [n, { runningDigest: `sha256:${'1'.repeat(64)}`, tagDigest: `sha256:${'1'.repeat(64)}` }]));
const all: Hooks = {
  'pre-upgrade': { command: './drain-all.sh', timeoutSeconds: 120 },
  'pre-host': { command: 'lb disable "$TARS_DOCKER_HOST"', timeoutSeconds: 30 },
  'post-host': { command: 'lb enable "$TARS_DOCKER_HOST"', timeoutSeconds: 30 },
  'post-upgrade': { command: 'notify-team', timeoutSeconds: 120 },
};

function golden(name: string, lines: string[]): void {
  const file = new URL(`./golden/${name}.txt`, import.meta.url);
  const text = `${lines.join('\n')}\n`;
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'));
}
const deps = (steps: PlanStep[], id: string) => steps.find((s) => s.id === id)!.dependsOn;

describe('inventory hooks:', () => {
  it('takes a command line or {command, timeout}; the default timeout is 120 s', () => {
    const c = loadConfig({ envFile: env, inventory: inventory('hooks:\n  pre-upgrade: ./check.sh\n  post-host: { command: "curl -fsS http://lb/enable", timeout: 15 }\n') });
    assert.deepEqual(c.hooks, {
      'pre-upgrade': { command: './check.sh', timeoutSeconds: 120 },
      'post-host': { command: 'curl -fsS http://lb/enable', timeoutSeconds: 15 },
    });
    assert.deepEqual(loadConfig({ envFile: env, inventory: inventory('') }).hooks, {});
  });

  it('refuses an unknown hook, an empty command and a bad timeout with one line naming the key', () => {
    const refused = (text: string, re: RegExp) => assert.throws(() => loadConfig({ envFile: env, inventory: inventory(text) }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, re);
      return true;
    });
    refused('hooks:\n  before-upgrade: x\n', /inv\.yml: hooks has an unknown key "before-upgrade"/);
    refused('hooks:\n  pre-host: { command: x, timeout: 0 }\n', /inv\.yml: hooks\.pre-host\.timeout must be 1-86400 seconds/);
    refused('hooks:\n  pre-host: { command: "  " }\n', /inv\.yml: hooks\.pre-host\.command must be a command/);
  });
});

describe('hooks in the plan', () => {
  it('pre-upgrade first, pre-host/post-host around each restart, post-upgrade before the record', () => {
    const plan = withHooks(planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 2, mode: 'upgrade', nodes }), all);
    golden('upgrade-hooks', renderPlan(plan));
    const s = plan.steps;
    assert.equal(s[0]!.id, 'hook:pre-upgrade');
    assert.deepEqual(deps(s, 'pull:h1'), ['hook:pre-upgrade']);
    assert.deepEqual(deps(s, 'hook:pre-host:h1'), ['migrate']);
    assert.deepEqual(deps(s, 'restart:h1'), ['hook:pre-host:h1']);
    assert.deepEqual(deps(s, 'hook:post-host:h1'), ['restart:h1']);
    assert.deepEqual(deps(s, 'hook:pre-host:h2'), ['hook:post-host:h1']);
    assert.deepEqual(deps(s, 'verify'), ['hook:post-host:h3', 'hook:post-host:h4']);
    assert.deepEqual(deps(s, 'hook:post-upgrade'), ['verify']);
    assert.deepEqual(deps(s, 'record'), ['hook:post-upgrade']);
  });

  it('no hooks, or nothing to do: the plan is unchanged', () => {
    const plan = planRollout({ config, now: at('v3.0.14'), from: 'v3.0.14', to: 'v3.0.16', batch: 1, mode: 'rollback', nodes });
    assert.equal(withHooks(plan, {}), plan);
    const none = planRollout({ config, now: at('v3.0.16'), from: 'v3.0.16', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes });
    assert.equal(withHooks(none, all), none);
  });

  it('a resumed run owes the post-host hook of a host restarted before the cut, and not a finished one', () => {
    const base = resumePlan(planRollout({ config, now: at('v3.0.16'), from: 'v3.0.14', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes }), config);
    const done = new Set(['hook:pre-upgrade', 'restart:h1', 'hook:post-host:h1', 'restart:h2']);
    const owed = owedPostHostHooks(all, done, base);
    assert.deepEqual(owed, ['h2']);
    const plan = withHooks(base, all, owed);
    assert.deepEqual(plan.steps.map((x) => `${x.id} after ${x.dependsOn.join(',') || '-'}`), [
      'hook:pre-upgrade after -', 'hook:post-host:h2 after hook:pre-upgrade', 'verify after hook:post-host:h2',
      'hook:post-upgrade after verify', 'record after hook:post-upgrade',
    ]);
  });

  it('the executor skips a hook the resumed run finished and journals the others', async () => {
    const plan = withHooks(resumePlan(planRollout({ config, now: at('v3.0.16'), from: 'v3.0.14', to: 'v3.0.16', batch: 1, mode: 'upgrade', nodes }), config), all);
    const events: JournalEvent[] = [];
    const journal: JournalStore = { append: async (e) => void events.push({ at: '', ...e }), read: async () => events };
    const ran: string[] = [];
    const record = async (step: PlanStep) => void ran.push(step.id);
    const handlers = { pull: record, backup: record, migrate: record, restart: record, verify: record, record, hook: record };
    await executePlan(plan, 'r1', journal, handlers, new Set(['hook:pre-upgrade']));
    assert.deepEqual(ran, ['verify', 'hook:post-upgrade', 'record']);
    assert.ok(!events.some((e) => e.step === 'hook:pre-upgrade'));
  });
});

describe('running a hook', () => {
  const ctx = { name: 'pre-host' as const, runId: 'r1', mode: 'upgrade' as const, from: 'v3.0.14', to: 'v3.0.16', host: { name: 'h2', role: 'slave', address: '10.0.0.2' } };

  it('gets the run\'s facts and no secret in its environment', () => {
    const e = hookEnv({ PATH: '/bin', MYSQL_ROOT_PASSWORD: 'x', DB_URL: 'mysql://root:s3cret-pw@db', HOME: '/root' }, ['s3cret-pw', ''], ctx);
    assert.equal(hookEnv({ HOME: '/root', PW: 'root' }, ['root'], ctx).HOME, '/root', 'a short password drops only a variable that is exactly it');
    assert.equal(hookEnv({ HOME: '/root', PW: 'root' }, ['root'], ctx).PW, undefined);
    assert.deepEqual(e, {
      PATH: '/bin', HOME: '/root', TARS_DOCKER_HOOK: 'pre-host', TARS_DOCKER_RUN_ID: 'r1', TARS_DOCKER_MODE: 'upgrade',
      TARS_DOCKER_FROM: 'v3.0.14', TARS_DOCKER_TO: 'v3.0.16', TARS_DOCKER_HOST: 'h2', TARS_DOCKER_HOST_ROLE: 'slave', TARS_DOCKER_HOST_ADDRESS: '10.0.0.2',
    });
  });

  it('reports its exit code and output lines; a timeout ends its whole process group', async () => {
    const lines: string[] = [];
    const ok = await runHookCommand({ command: 'echo "to $TARS_DOCKER_TO"; echo oops >&2; exit 3', timeoutSeconds: 10 }, dir, hookEnv({ PATH: process.env.PATH }, [], ctx), (l) => lines.push(l));
    assert.equal(ok.code, 3);
    assert.deepEqual(lines.sort(), ['oops', 'to v3.0.16']);
    const slow = await runHookCommand({ command: 'sleep 30 & wait', timeoutSeconds: 0.2 }, dir, { PATH: process.env.PATH ?? '' }, () => {});
    assert.equal(slow.timedOut, true);
  });
});
