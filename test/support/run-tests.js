// The whole suite: unit tests (no servers), then the tests against the real lab (dockerds, registries, MariaDB),
// which share one lab brought up here once, and last the tests that take the lab down.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const unitOnly = process.argv.includes('--unit');
const files = (dir) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`) : [];

const totals = { pass: 0, fail: 0 };

/** node's test runner sorts the files it is given, so each phase that must come after another is its own run. */
function nodeTest(list, env = {}) {
  if (list.length === 0) return Promise.resolve(0);
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...list],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
    );
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-4000);
    });
    child.on('close', (code) => {
      totals.pass += Number(/ℹ pass (\d+)/.exec(tail)?.[1] ?? 0);
      totals.fail += Number(/ℹ fail (\d+)/.exec(tail)?.[1] ?? 0);
      done(code ?? 1);
    });
  });
}

function finish(code) {
  console.log(`\n${totals.pass} passed, ${totals.fail} failed`);
  process.exit(code);
}

// Tests and benches are TypeScript run by tsx, which does not type-check: do it here once for all of them.
const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(1);

const unit = files('test/unit');
if (unitOnly) finish(await nodeTest(unit));

const up = spawnSync(process.execPath, ['bin/tars-docker.js', 'lab', 'up', '--dir', '.lab'], { stdio: 'inherit' });
if (up.status !== 0) {
  console.error('lab up failed: the tests that need the lab cannot run');
  process.exit(1);
}
const env = { TARS_LAB_DIR: '.lab' };
let failed = await nodeTest([...unit, ...files('test/db'), ...files('test/registry'), ...files('test/lab')], env);
failed ||= await nodeTest(files('test/lab-last'), env);
finish(failed ? 1 : 0);
