import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Test-only rendezvous: announces `name` by creating DIR/NAME and returns once the test deletes it. The test
 * decides, at a known state, whether to SIGKILL this process or let it go on: no fixed delays.
 */
export async function waitBarrier(dir: string, name: string): Promise<void> {
  const file = join(dir, name);
  writeFileSync(file, `${process.pid}\n`);
  while (existsSync(file)) await sleep(10);
}
