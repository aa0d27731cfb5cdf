// The whole suite: unit tests (no servers), then the tests against the real lab (dockerds, registries, MariaDB),
// which share one lab brought up here once, and last the test that takes the lab down.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const unitOnly = process.argv.includes('--unit');
const files = (dir) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`) : [];

function nodeTest(list, env = {}) {
  if (list.length === 0) return 0;
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...list],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return r.status ?? 1;
}

// Tests and benches are TypeScript run by tsx, which does not type-check: do it here once for all of them.
const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(1);

const unit = files('test/unit');
if (unitOnly) process.exit(nodeTest(unit));

const up = spawnSync(process.execPath, ['bin/tars-docker.js', 'lab', 'up', '--dir', '.lab'], { stdio: 'inherit' });
if (up.status !== 0) {
  console.error('lab up failed: the tests that need the lab cannot run');
  process.exit(1);
}
// One run, files in this order, one at a time: the lab tests share the cluster and lab-last takes it down.
const all = [...unit, ...files('test/db'), ...files('test/registry'), ...files('test/lab'), ...files('test/lab-last')];
process.exit(nodeTest(all, { TARS_LAB_DIR: '.lab' }));
