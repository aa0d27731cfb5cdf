// Runs the benchmark sections (TypeScript, through tsx) against the lab; `npm run bench -- upgrade` runs one.
import { spawnSync } from 'node:child_process';

const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/suite.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TARS_LAB_DIR: process.env.TARS_LAB_DIR ?? '.lab' },
});
process.exit(r.status ?? 1);
