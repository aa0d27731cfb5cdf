import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { labAddHost, scaleAddHostCommands, shellLine } from '../lab/index.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const dir = resolve((opts as { dir: string }).dir);
  const host = await labAddHost(dir, g.json ? () => {} : (line) => process.stderr.write(`${line}\n`));
  const commands = scaleAddHostCommands(dir, host);
  if (g.json) {
    setJsonResult({ name: host.name, address: host.address, endpoints: host.endpoints, commands });
    return ExitCode.ok;
  }
  printLines([
    `${host.name} ${host.address}`,
    ...Object.entries(host.endpoints).map(([k, v]) => `  ${k}: ${v}`),
    'add it to the cluster over any one of them (--role node or slave):',
    ...Object.values(commands).map((argv) => `  ${shellLine(argv)}`),
  ]);
  return ExitCode.ok;
}
