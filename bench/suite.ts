// `npm run bench [section...]`: every measurement is printed with a baseline taken in the same run.
import { benchBackup } from './backup.js';
import { benchCheck } from './check.js';
import { benchDowntime } from './downtime.js';
import { benchCheckOnLab, benchLab, benchStatus } from './lab-status.js';
import { benchManyHosts } from './many-hosts.js';
import { benchMigrations } from './migrations.js';
import { benchScale } from './scale.js';
import { labConfig } from '../test/support/lab.js';

type Section = () => Promise<string[] | { lines: string[]; figures: Record<string, unknown> }>;

const sections: Record<string, Section> = {
  lab: benchLab,
  status: benchStatus,
  check: async () => {
    const r = await benchCheck();
    return [
      ...(await benchCheckOnLab()),
      `check, local registry: 1 host ${r.oneHost.medianMs} ms (${r.oneHost.requests} requests), ${r.n} hosts ${r.manyHosts.medianMs} ms (${r.manyHosts.requests} requests), ${r.n} hosts on ${r.n} tags ${r.manyHostsMixed.medianMs} ms (${r.manyHostsMixed.requests} requests)  ${r.n}-host/1-host ${(r.manyHosts.medianMs / r.oneHost.medianMs).toFixed(2)}x`,
    ];
  },
  backup: () => benchBackup(labConfig().mysql),
  migrations: () => benchMigrations({ mysql: labConfig().mysql }),
  downtime: benchDowntime,
  scale: benchScale,
  'many-hosts': benchManyHosts,
};

// `--json` also writes every figure as one document on stdout, after the lines, so two runs can be compared.
const json = process.argv.includes('--json');
const names = process.argv.slice(2).filter((a) => a !== '--json');
const chosen = names.length ? names : Object.keys(sections);
const document: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, sections: {} };
let failed = false;
for (const name of chosen) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown section ${name}; sections: ${Object.keys(sections).join(', ')}`);
    process.exit(2);
  }
  console.log(`== ${name}`);
  try {
    const out = await run();
    const lines = Array.isArray(out) ? out : out.lines;
    for (const line of lines) console.log(`   ${line}`);
    (document.sections as Record<string, unknown>)[name] = Array.isArray(out) ? { lines } : { lines, ...out.figures };
  } catch (err) {
    failed = true;
    console.log(`   FAILED: ${(err as Error).message}`);
    (document.sections as Record<string, unknown>)[name] = { error: (err as Error).message };
  }
}
if (json) console.log(JSON.stringify(document));
process.exit(failed ? 1 : 0);
