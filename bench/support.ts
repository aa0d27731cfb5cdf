// Shared helpers of the benchmark sections: timing, the CLI, and the lab's MySQL clock.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { stringify } from 'yaml';
import { cli, LAB_INVENTORY } from '../test/support/lab.js';

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

export async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < times; i++) all.push((await timed(fn)).seconds);
  all.sort((a, b) => a - b);
  return all[Math.floor(all.length / 2)]!;
}

/** The CLI must succeed inside a benchmark; a failure stops the section with its message. */
export async function mustCli(args: string[], opts: Parameters<typeof cli>[1] = {}): Promise<string> {
  const r = await cli(args, opts);
  if (r.code !== 0) throw new Error(`tars-docker ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
  return r.stdout;
}

/** A copy of the lab inventory keeping only the hosts `keep` accepts (for 1-host vs N-host comparisons). */
export function inventoryWith(keep: (host: { name: string; role: string }) => boolean, extra: object[] = []): string {
  const doc = parse(readFileSync(LAB_INVENTORY, 'utf8')) as { project: string; hosts: { name: string; role: string }[] };
  const dir = mkdtempSync(join(tmpdir(), 'td-bench-'));
  const file = join(dir, 'tars-docker.yml');
  writeFileSync(file, stringify({ ...doc, hosts: [...doc.hosts.filter(keep), ...extra] }));
  return file;
}

export function copyInventory(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'td-bench-')), 'tars-docker.yml');
  copyFileSync(LAB_INVENTORY, file);
  return file;
}

export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
export const secs = (s: number) => `${s.toFixed(2)} s`;
