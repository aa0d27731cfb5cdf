import { loadConfig } from '../config/load.js';
import { installSteps, type InstallResult } from '../cluster/install.js';
import { enforceGuard } from '../cluster/guard-cluster.js';
import { openSession } from '../cluster/session.js';
import { ExitCode, InputError } from '../errors.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';
import { showSteps } from './tasks.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { version } = opts as { version: string };
  if (!/^v?\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$/.test(version)) throw new InputError(`--version "${version}" is not a version like v3.0.14`);
  const config = loadConfig(g);
  const session = await openSession(config);
  const result: InstallResult = { version, hosts: [] };
  try {
    await enforceGuard(config, [...session.hosts.values()]);
    await showSteps(installSteps(session, version, result), g.json);
  } finally {
    await session.close();
  }
  if (g.json) setJsonResult(result);
  else printLines([`installed ${version} on ${result.hosts.length} hosts`]);
  return ExitCode.ok;
}
