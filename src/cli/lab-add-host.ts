import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { labAddHost } from '../lab/index.js';
import type { GlobalOptions } from './main.js';
import { setJsonResult, printLines } from './output.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { dir } = opts as { dir: string };
  const host = await labAddHost(resolve(dir), g.json ? () => {} : (line) => process.stderr.write(`${line}\n`));
  if (g.json) setJsonResult({ name: host.name, address: host.address, endpoints: host.endpoints });
  else printLines([`${host.name} ${host.address}`, ...Object.entries(host.endpoints).map(([k, v]) => `  ${k}: ${v}`)]);
  return ExitCode.ok;
}
