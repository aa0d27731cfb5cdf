import { interpolate, type VarValue, type Vars } from './interpolate.js';
import type { ComposeFileInput, ComposeEnvEntry, EnvFileInput, FindingSource, GuardInputs, ServiceKind } from './types.js';
import { kindOfRole, sourceKey, splitEnv } from './values.js';

/**
 * One value as one source really holds it. `feeds` says which containers it can reach: a value that can only
 * reach tars-node containers cannot drop a database.
 */
export interface Setting {
  key: string;
  value: string;
  source: FindingSource;
  feeds: ServiceKind | 'any';
}

/** What compose fills `${VAR}` from when run by hand: the shell first, then the `.env`. */
export function globalVars(inputs: GuardInputs): Map<string, VarValue> {
  const vars = new Map<string, VarValue>();
  for (const e of inputs.envFile?.entries ?? []) vars.set(e.key, { value: e.value, source: fileSource('env-file', inputs.envFile!.file, e.line) });
  for (const [key, value] of Object.entries(inputs.shellEnv)) if (value !== undefined) vars.set(key, { value, source: { kind: 'shell' } });
  return vars;
}

/** Every value of every source, each once, at the place it really comes from (a `${VAR}` points to its origin). */
export function allSettings(inputs: GuardInputs): Setting[] {
  const found = new Map<string, Setting>();
  const add = (s: Setting): void => {
    const k = `${s.key}|${sourceKey(s.source)}`;
    const seen = found.get(k);
    if (!seen) found.set(k, s);
    else if (seen.feeds !== s.feeds) seen.feeds = 'any';
  };
  if (inputs.envFile) envFileSettings(inputs.envFile, 'any').forEach(add);
  for (const f of inputs.namedEnvFiles) envFileSettings(f, feedsOf(f.usedBy)).forEach(add);
  const vars = globalVars(inputs);
  for (const c of inputs.composeFiles) composeSettings(c, vars).forEach(add);
  for (const h of inputs.inventory?.hosts ?? []) {
    for (const e of h.env) {
      const source: FindingSource = { kind: 'inventory', file: inputs.inventory!.file, line: e.line, host: h.name };
      add({ key: e.key, value: e.value, source, feeds: h.role ? kindOfRole(h.role) : 'any' });
    }
  }
  for (const [key, value] of Object.entries(inputs.shellEnv)) {
    if (value !== undefined) add({ key, value, source: { kind: 'shell' }, feeds: 'any' });
  }
  for (const c of inputs.containers) {
    const source: FindingSource = { kind: 'container', host: c.host, container: c.container };
    for (const [key, value] of splitEnv(c.env)) add({ key, value, source, feeds: kindOfRole(c.role) });
  }
  return [...found.values()];
}

export function resolveComposeEntry(e: ComposeEnvEntry, file: string, vars: Vars): { value: string; source: FindingSource } {
  const here = fileSource('compose', file, e.line);
  if (e.raw === null) {
    const v = vars.get(e.key);
    return v ? { value: v.value, source: v.source } : { value: '', source: here };
  }
  const r = interpolate(e.raw, vars);
  return { value: r.value, source: r.from ?? here };
}

function composeSettings(c: ComposeFileInput, vars: Vars): Setting[] {
  return c.services.flatMap((s) =>
    s.environment.flatMap((e) => {
      const r = resolveComposeEntry(e, c.file, vars);
      // A bare key or a `${VAR}` with nothing outside to fill it in says nothing until a host's variables do.
      const unfilled = r.source.kind === 'compose' && (e.raw === null || (r.value === '' && e.raw.includes('$')));
      if (unfilled) return [];
      return [{ key: e.key, value: r.value, source: r.source, feeds: s.kind }];
    }),
  );
}

function envFileSettings(f: EnvFileInput, feeds: Setting['feeds']): Setting[] {
  return f.entries.map((e) => ({ key: e.key, value: e.value, source: fileSource('env-file', f.file, e.line), feeds }));
}

function feedsOf(kinds: ServiceKind[]): Setting['feeds'] {
  const distinct = [...new Set(kinds)];
  return distinct.length === 1 ? distinct[0]! : 'any';
}

export function fileSource(kind: 'env-file' | 'compose' | 'inventory', file: string, line: number): FindingSource {
  return { kind, file, line };
}
