// `npm run bench [section...]`: every measurement is printed with a baseline taken in the same run.
import { benchCheck } from './check.js';
import { benchCheckOnLab, benchLab, benchStatus } from './lab-status.js';
import { benchMigrations } from './migrations.js';
import { benchScale } from './scale.js';
import { benchUpgrade } from './upgrade.js';
import { labConfig } from '../test/support/lab.js';

const sections: Record<string, () => Promise<string[]>> = {
  lab: benchLab,
  status: benchStatus,
  check: async () => {
    const r = await benchCheck();
    return [
      ...(await benchCheckOnLab()),
      `check, local registry: 1 host ${r.oneHost.medianMs} ms (${r.oneHost.requests} requests), ${r.n} hosts ${r.manyHosts.medianMs} ms (${r.manyHosts.requests} requests), ${r.n} hosts on ${r.n} tags ${r.manyHostsMixed.medianMs} ms (${r.manyHostsMixed.requests} requests)  ${r.n}-host/1-host ${(r.manyHosts.medianMs / r.oneHost.medianMs).toFixed(2)}x`,
    ];
  },
  migrations: () => benchMigrations({ mysql: labConfig().mysql }),
  upgrade: benchUpgrade,
  scale: benchScale,
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(sections);
let failed = false;
for (const name of chosen) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown section ${name}; sections: ${Object.keys(sections).join(', ')}`);
    process.exit(2);
  }
  console.log(`== ${name}`);
  try {
    for (const line of await run()) console.log(`   ${line}`);
  } catch (err) {
    failed = true;
    console.log(`   FAILED: ${(err as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
