import { checkAddresses, checkInventoryAddresses } from './checks/address.js';
import { checkPasswordFiles } from './checks/files.js';
import { checkMysql } from './checks/mysql.js';
import { checkRebuild } from './checks/rebuild.js';
import { checkSlave, checkSlaveSources } from './checks/slave.js';
import { containerEnvs, plannedEnvs } from './planned.js';
import { allSettings } from './settings.js';
import type { EnvFileInput, Finding, GuardInputs, GuardReport } from './types.js';
import { sourceKey } from './values.js';

/** Pure: the same inputs give the same findings, blocking ones first. */
export function runGuard(inputs: GuardInputs): GuardReport {
  const settings = allSettings(inputs);
  const hosts = [...plannedEnvs(inputs), ...containerEnvs(inputs)];
  const envFiles = inputs.envFile ? [inputs.envFile, ...inputs.namedEnvFiles] : inputs.namedEnvFiles;
  const all = [
    ...inputs.problems,
    ...checkRebuild(settings),
    // Many hosts are built from one compose line or one .env line: one finding per place is enough.
    ...dedupe([
      ...checkSlave(hosts),
      ...checkSlaveSources(settings, inputs.inventory),
      ...checkInventoryAddresses(inputs.inventory),
      ...checkAddresses(hosts, inputs.inventory),
    ]),
    ...checkMysql(settings, inputs.envFile?.file),
    ...checkPasswordFiles(dedupeFiles(envFiles)),
  ];
  const findings = [...all.filter((f) => f.severity === 'blocking'), ...all.filter((f) => f.severity === 'warning')];
  return { findings, blocking: findings.some((f) => f.severity === 'blocking') };
}

/** The message names the first host that showed it; a blocking view of the same place wins over a warning. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const k = `${f.id}|${sourceKey(f.source)}`;
    const prev = seen.get(k);
    if (!prev) seen.set(k, f);
    else if (prev.severity === 'warning' && f.severity === 'blocking') seen.set(k, f);
  }
  return [...seen.values()];
}

function dedupeFiles(files: EnvFileInput[]): EnvFileInput[] {
  return files.filter((f, i) => files.findIndex((g) => g.file === f.file) === i);
}
