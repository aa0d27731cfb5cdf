import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { parseComposeText } from './compose-file.js';
import { parseEnvText } from './env-text.js';
import { parseInventoryText } from './inventory-file.js';
import type { ComposeFileInput, ContainerInput, EnvFileInput, Finding, GuardInputs, ServiceKind } from './types.js';
import { splitEnv } from './values.js';

export interface CollectOptions {
  envFile?: string;
  composeFiles: string[];
  inventoryFile?: string;
  shellEnv: Record<string, string | undefined>;
  containers: ContainerInput[];
  managedEnv?: Record<string, Record<string, string>>;
}

const SECRET_KEYS = ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD', 'REGISTRY_PASSWORD'];

/** Reads every file source once; a file the caller named that cannot be read is an InputError. */
export function collectGuardInputs(o: CollectOptions): GuardInputs {
  const problems: Finding[] = [];
  const composeFiles: ComposeFileInput[] = [];
  for (const path of o.composeFiles) {
    const file = resolve(path);
    const parsed = parseComposeText(readText(file, 'compose file'), file);
    if (parsed.problem) problems.push(parsed.problem);
    if (parsed.compose) composeFiles.push(parsed.compose);
  }
  const inputs: GuardInputs = {
    namedEnvFiles: namedEnvFiles(composeFiles, problems),
    composeFiles,
    shellEnv: { ...o.shellEnv },
    containers: o.containers,
    problems,
  };
  if (o.envFile) inputs.envFile = readEnvFile(resolve(o.envFile), []);
  if (o.inventoryFile) {
    const file = resolve(o.inventoryFile);
    const parsed = parseInventoryText(readText(file, 'inventory'), file);
    if (parsed.problem) problems.push(parsed.problem);
    if (parsed.inventory) inputs.inventory = parsed.inventory;
  }
  if (o.managedEnv) inputs.managedEnv = o.managedEnv;
  registerSecrets(inputs);
  return inputs;
}

/** The project's own compose files: every `*.yml` / `*.yaml` directly in `dir`, sorted. */
export function listComposeFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

function namedEnvFiles(composeFiles: ComposeFileInput[], problems: Finding[]): EnvFileInput[] {
  const byFile = new Map<string, { kinds: ServiceKind[]; named: { file: string; line: number } }>();
  for (const c of composeFiles) {
    for (const s of c.services) {
      for (const ef of s.envFiles) {
        const seen = byFile.get(ef.file);
        if (seen) seen.kinds.push(s.kind);
        else byFile.set(ef.file, { kinds: [s.kind], named: { file: c.file, line: ef.line } });
      }
    }
  }
  const out: EnvFileInput[] = [];
  for (const [file, { kinds, named }] of byFile) {
    try {
      out.push(readEnvFile(file, kinds));
    } catch {
      problems.push({
        id: 'env-file-missing',
        severity: 'warning',
        message: `names env_file ${file}, which cannot be read, so it was not checked`,
        source: { kind: 'compose', file: named.file, line: named.line },
        fix: 'create that file or remove it from env_file',
      });
    }
  }
  return out;
}

function readEnvFile(file: string, usedBy: ServiceKind[]): EnvFileInput {
  const text = readText(file, 'env file');
  const entries = parseEnvText(text).map(({ key, value, line }) => ({ key, value, line }));
  return { file, mode: statSync(file).mode, entries, usedBy };
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`${file}: cannot read ${what} (${code})`, { file });
  }
}

/** So that `redact` masks them in anything printed later, even in a driver's error message. */
function registerSecrets(inputs: GuardInputs): void {
  const values: (string | undefined)[] = [];
  for (const f of [inputs.envFile, ...inputs.namedEnvFiles]) {
    for (const e of f?.entries ?? []) if (SECRET_KEYS.includes(e.key)) values.push(e.value);
  }
  for (const c of inputs.composeFiles) {
    for (const s of c.services) {
      for (const e of s.environment) if (SECRET_KEYS.includes(e.key) && !e.raw?.includes('$')) values.push(e.raw ?? undefined);
    }
  }
  for (const h of inputs.inventory?.hosts ?? []) for (const e of h.env) if (SECRET_KEYS.includes(e.key)) values.push(e.value);
  for (const k of SECRET_KEYS) values.push(inputs.shellEnv[k]);
  for (const c of inputs.containers) for (const k of SECRET_KEYS) values.push(splitEnv(c.env).get(k));
  for (const env of Object.values(inputs.managedEnv ?? {})) for (const k of SECRET_KEYS) values.push(env[k]);
  values.forEach(registerSecret);
}
