// lab up (cold and warm, 4 hosts) and status on 1 host vs 4 hosts.
import { cli, LAB_DIR } from '../test/support/lab.js';
import { inventoryWith, median, mustCli, ratio, secs, timed } from './support.js';

export async function benchLab(): Promise<string[]> {
  await cli(['lab', 'down', '--dir', LAB_DIR]);
  // a fresh lab runs its stand-ins at real speed: the sections after this one measure at the suite's fast speed
  const cold = await timed(() => mustCli(['--json', 'lab', 'up', '--hosts', '4', '--dir', LAB_DIR, '--standin-speed', 'fast']));
  const warm = await timed(() => mustCli(['--json', 'lab', 'up', '--hosts', '4', '--dir', LAB_DIR]));
  return [
    `lab up, 4 hosts, cold (images built, cluster installed): ${secs(cold.seconds)}`,
    `lab up, 4 hosts, warm (already up): ${secs(warm.seconds)}  cold/warm ${ratio(cold.seconds, warm.seconds)}`,
  ];
}

export async function benchStatus(): Promise<string[]> {
  const one = inventoryWith((h) => h.role === 'master');
  const t1 = await median(5, () => mustCli(['--json', 'status'], { inventory: one }));
  const t4 = await median(5, () => mustCli(['--json', 'status']));
  return [`status: 1 host ${secs(t1)}, 4 hosts ${secs(t4)}  4-host/1-host ${ratio(t4, t1)} (hosts are read in parallel)`];
}

export async function benchCheckOnLab(): Promise<string[]> {
  const one = inventoryWith((h) => h.role === 'master');
  const run = async (inventory?: string) => {
    const r = await cli(['--json', 'check'], inventory ? { inventory } : {});
    if (r.code !== 0 && r.code !== 10) throw new Error(`check exited ${r.code}: ${r.stderr.trim()}`);
    return (JSON.parse(r.stdout) as { registry?: { requests: number } }).registry?.requests ?? 0;
  };
  const requestsOne = await run(one);
  const requestsAll = await run();
  const t1 = await median(5, () => run(one));
  const tAll = await median(5, () => run());
  return [
    `check: 1 host ${secs(t1)} (${requestsOne} registry requests), all 4 hosts ${secs(tAll)} (${requestsAll} requests)  all/1 ${ratio(tAll, t1)}`,
  ];
}
