import { checkAddresses, checkInventoryAddresses } from './checks/address.js';
import { checkPasswordFiles } from './checks/files.js';
import { checkMysql } from './checks/mysql.js';
import { checkRebuild } from './checks/rebuild.js';
import { checkSlave } from './checks/slave.js';
import { containerEnvs, plannedEnvs } from './planned.js';
import { allSettings } from './settings.js';
import type { Finding, GuardInputs, GuardReport } from './types.js';
import { sourceKey } from './values.js';

/** Pure: the same inputs give the same findings, blocking ones first. */
export function runGuard(inputs: GuardInputs): GuardReport {
  const settings = allSettings(inputs);
  const hosts = [...plannedEnvs(inputs), ...containerEnvs(inputs)];
  const envFiles = inputs.envFile ? [inputs.envFile, ...inputs.namedEnvFiles] : inputs.namedEnvFiles;
  const all = [
    ...inputs.problems,
    ...checkRebuild(settings),
    ...checkSlave(hosts),
    ...checkInventoryAddresses(inputs.inventory),
    ...checkAddresses(hosts),
    ...checkMysql(settings, inputs.envFile?.file),
    ...checkPasswordFiles(envFiles),
  ];
  const unique = dedupe(all);
  const findings = [...unique.filter((f) => f.severity === 'blocking'), ...unique.filter((f) => f.severity === 'warning')];
  return { findings, blocking: findings.some((f) => f.severity === 'blocking') };
}

/** One value seen through several hosts is one finding; the message names the first host that showed it. */
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
