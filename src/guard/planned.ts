import type { Role } from '../config/types.js';
import type { VarValue } from './interpolate.js';
import { fileSource, globalVars, resolveComposeEntry } from './settings.js';
import type { FindingSource, GuardInputs, InventoryHostInput } from './types.js';
import { kindOfRole, splitEnv } from './values.js';

/** The env one host's container would get, each value with the place it comes from. */
export interface HostEnv {
  host: string;
  role: Role;
  /** Says whose env this is inside a message, e.g. "slave host h2" or "the node container on n1". */
  label: string;
  env: Map<string, VarValue>;
  /** Where to point when a variable is missing altogether. */
  origin: FindingSource;
}

/** Live containers, exactly as they run. */
export function containerEnvs(inputs: GuardInputs): HostEnv[] {
  return inputs.containers.map((c) => {
    const source: FindingSource = { kind: 'container', host: c.host, container: c.container };
    const env = new Map<string, VarValue>();
    for (const [key, value] of splitEnv(c.env)) env.set(key, { value, source });
    return { host: c.host, role: c.role, label: `the ${c.role} container on ${c.host}`, env, origin: source };
  });
}

/**
 * What each inventory host would get from each compose service of its kind, with the variables filled in as
 * tars-docker fills them: `.env`, then the shell, then the host's inventory `env:`, then what tars-docker sets.
 * A host with no such service is judged on the `.env` and its overrides alone.
 */
export function plannedEnvs(inputs: GuardInputs): HostEnv[] {
  const inv = inputs.inventory;
  if (!inv) return [];
  const out: HostEnv[] = [];
  for (const h of inv.hosts) {
    if (!h.role) continue;
    const role = h.role;
    const hostLine = fileSource('inventory', inv.file, h.line);
    const vars = hostVars(inputs, h, { ...hostLine, host: h.name });
    const label = `${role} host ${h.name}`;
    const services = inputs.composeFiles.flatMap((c) => c.services.filter((s) => s.kind === kindOfRole(role)).map((s) => ({ c, s })));
    for (const { c, s } of services) {
      const env = new Map<string, VarValue>();
      for (const ef of s.envFiles) {
        const f = inputs.namedEnvFiles.find((n) => n.file === ef.file);
        for (const e of f?.entries ?? []) env.set(e.key, { value: e.value, source: fileSource('env-file', f!.file, e.line) });
      }
      for (const e of s.environment) {
        const r = resolveComposeEntry(e, c.file, vars);
        if (e.raw === null && r.source.kind === 'compose') continue;
        env.set(e.key, r);
      }
      out.push({ host: h.name, role, label, env, origin: fileSource('compose', c.file, s.line) });
    }
    if (services.length === 0) out.push({ host: h.name, role, label, env: vars, origin: { ...hostLine, host: h.name } });
  }
  return out;
}

function hostVars(inputs: GuardInputs, h: InventoryHostInput, hostLine: FindingSource): Map<string, VarValue> {
  const vars = globalVars(inputs);
  const own = new Map<string, VarValue>();
  for (const e of h.env) {
    own.set(e.key, { value: e.value, source: { kind: 'inventory', file: inputs.inventory!.file, line: e.line, host: h.name } });
  }
  for (const [k, v] of own) vars.set(k, v);
  for (const [key, value] of Object.entries(inputs.managedEnv?.[h.name] ?? {})) {
    // tars-docker derives these from the inventory: point at the line it copied, else at the host entry.
    const copied = own.get(key);
    const fromAddress = h.address && h.address.value === value ? { ...hostLine, line: h.address.line } : undefined;
    vars.set(key, { value, source: copied && copied.value === value ? copied.source : (fromAddress ?? hostLine) });
  }
  return vars;
}
