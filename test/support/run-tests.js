// The whole suite: unit tests (no servers) first, then the lab is brought up once for the tests against it
// (dockerds, registries, MariaDB), and last the tests that take the lab down, which run whatever failed before
// them so no namespace is left behind. The last line is "N passed, N failed, N skipped"; the exit code is 1 when
// anything failed, and under CI (env CI set, .ci/run sets it) also when a lab suite was skipped.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const COUNTER = fileURLToPath(new URL('./count-reporter.js', import.meta.url));

const files = (dir) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f)) : [];

/**
 * One `node --test` run: spec to the terminal, counts (count-reporter.js) to a file read back here.
 * node's test runner sorts the files it is given, so each phase that must come after another is its own run.
 */
function nodeTest(list, env) {
  const none = { code: 0, passed: 0, failed: 0, skipped: 0, todo: 0, skippedNames: [] };
  if (list.length === 0) return Promise.resolve(none);
  const dir = mkdtempSync(join(tmpdir(), 'tars-test-counts-'));
  const countsFile = join(dir, 'counts.json');
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(COUNTER).href}`, `--test-reporter-destination=${countsFile}`, ...list];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => {
      const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : undefined;
      rmSync(dir, { recursive: true, force: true });
      // Without counts node itself broke (e.g. a flag it does not know): that is a failure, not zero tests.
      done(counts ? { ...counts, code: code ?? 1 } : { ...none, code: code || 1, failed: 1 });
    });
  });
}

/**
 * Runs the phases and returns the exit code. Its parameters exist so the runner can be tried on a folder of
 * throwaway tests with a stand-in for `lab up`; `npm test` passes the real ones.
 * @param {{ root: string, unitOnly: boolean, ci: boolean, labUp: () => boolean, labEnv: Record<string, string>, log?: (line: string) => void }} o
 */
export async function runSuite({ root, unitOnly, ci, labUp, labEnv, log = console.log }) {
  const results = [];
  const problems = [];
  const phase = async (name, list, env = {}) => {
    const r = await nodeTest(list, env);
    results.push(r);
    if (r.code !== 0) problems.push(`${name}: tests failed (node exited ${r.code})`);
    return r;
  };

  await phase('unit', files(join(root, 'unit')));
  if (!unitOnly) {
    const labRuns = [];
    if (labUp()) {
      labRuns.push(await phase('lab', [...files(join(root, 'db')), ...files(join(root, 'registry')), ...files(join(root, 'lab'))], labEnv));
    } else {
      problems.push('lab up failed: the tests that need the lab did not run');
    }
    // Also after a failure above (lab up included): these tests take the lab down.
    labRuns.push(await phase('lab teardown', files(join(root, 'lab-last')), labEnv));
    const skipped = labRuns.reduce((n, r) => n + r.skipped, 0);
    if (ci && skipped > 0) problems.push(`CI: ${skipped} lab test(s) or suite(s) skipped (listed above); under CI every one must run`);
  }

  const sum = (k) => results.reduce((n, r) => n + r[k], 0);
  log('');
  for (const name of results.flatMap((r) => r.skippedNames)) log(`skipped: ${name}`);
  for (const p of problems) log(p);
  const todo = sum('todo');
  log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped${todo ? `, ${todo} todo` : ''}`);
  return problems.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Tests and benches are TypeScript run by tsx, which does not type-check: do it here once for all of them.
  const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
  if (typecheck.status !== 0) process.exit(1);
  const code = await runSuite({
    root: 'test',
    unitOnly: process.argv.includes('--unit'),
    ci: Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI),
    labUp: () => spawnSync(process.execPath, ['bin/tars-docker.js', 'lab', 'up', '--dir', '.lab', '--standin-speed', 'fast'], { stdio: 'inherit' }).status === 0,
    labEnv: { TARS_LAB_DIR: '.lab' },
  });
  process.exit(code);
}
