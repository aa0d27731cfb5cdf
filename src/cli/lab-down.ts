import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { labDown } from '../lab/index.js';
import type { GlobalOptions } from './globals.js';
import { printLines } from './output.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { dir } = opts as { dir: string };
  await labDown(resolve(dir), g.json ? () => {} : (line) => process.stderr.write(`${line}\n`));
  if (!g.json) printLines([`lab in ${resolve(dir)} is down`]);
  return ExitCode.ok;
}
