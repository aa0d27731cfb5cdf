import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse } from 'dotenv';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { parseReference } from '../registry/reference.js';
import { isAddress } from './address.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
/** A quoted value as dotenv reads it, closed on its own line and followed by nothing but a comment. */
const QUOTED = /^(["'`])(?:\\\1|(?!\1).)*\1\s*(?:#.*)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const required = (key: string) => z.string({ error: `${key} is required` });

const EnvSchema = z.object({
  MYSQL_HOST: required('MYSQL_HOST').min(1, 'MYSQL_HOST is required').refine(isAddress, 'MYSQL_HOST must be an IP address or a DNS name'),
  MYSQL_PORT: z
    .string()
    .default('3306')
    .refine((v) => /^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536, 'MYSQL_PORT must be a port number (1-65535)'),
  MYSQL_USER: z.string().min(1, 'MYSQL_USER must not be empty').default('root'),
  // Absent is a mistake far more often than a server without a password, which `MYSQL_ROOT_PASSWORD=` states.
  MYSQL_ROOT_PASSWORD: z.string({ error: 'MYSQL_ROOT_PASSWORD is not set (write MYSQL_ROOT_PASSWORD= for a server without a password)' }),
  REBUILD: z.string().optional(),
  FRAMEWORK_IMAGE: z.string().default('tarscloud/framework').superRefine(repository('FRAMEWORK_IMAGE')),
  NODE_IMAGE: z.string().default('tarscloud/tars-node').superRefine(repository('NODE_IMAGE')),
  // tars-node has no version tags (latest, stable, full, cpp, java, nodejs, php); empty means latest
  NODE_TAG: z.string().default('').transform((v) => v || 'latest').refine((v) => v === '' || TAG.test(v), 'NODE_TAG must be an image tag (letters, digits, _ . -)'),
  REGISTRY_MIRROR: z.string().default('').refine((v) => v === '' || registryHost(v.replace(/^https?:\/\//i, '').replace(/\/+$/, '')), 'REGISTRY_MIRROR must be a registry host[:port] or an http(s) URL'),
  REGISTRY_USERNAME: z.string().default(''),
  REGISTRY_PASSWORD: z.string().default(''),
  REGISTRY_INSECURE: z.string().default('').superRefine((v, ctx) => {
    const bad = v.split(',').map((e) => e.trim()).find((e) => e !== '' && !insecureEntry(e));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `REGISTRY_INSECURE entry "${bad}" is not a host, host:port or IPv4 CIDR` });
  }),
});
export type EnvValues = z.infer<typeof EnvSchema>;

export interface EnvFile {
  values: EnvValues;
  raw: Record<string, string>;
}

/** Reads and validates a `.env`; a bad line or value is one InputError naming file, line or key. */
export function readEnvFile(file: string): EnvFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read env file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  checkLines(file, text);
  const raw = parse(text);
  registerSecret(raw.MYSQL_ROOT_PASSWORD);
  registerSecret(raw.REGISTRY_PASSWORD);
  const result = EnvSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.');
    throw new InputError(`${file}: ${issue.message}`, { file, key });
  }
  return { values: result.data, raw };
}

/** What dotenv would read silently or differently: other lines, unclosed quotes, a key set twice (the last wins). */
function checkLines(file: string, text: string): void {
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw new InputError(`${file}:${i + 1}: not a KEY=VALUE line`, { file });
    const [, key, value] = m as unknown as [string, string, string];
    if (/^["'`]/.test(value) && !QUOTED.test(value)) {
      throw new InputError(`${file}:${i + 1}: ${key} opens a ${value[0]} quote that does not close the value on this line`, { file, key });
    }
    const first = seen.get(key);
    if (first !== undefined) throw new InputError(`${file}:${i + 1}: ${key} is set twice (also on line ${first}); keep one`, { file, key });
    seen.set(key, i + 1);
  });
}

function repository(key: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    let ok = false;
    try {
      const ref = parseReference(value);
      ok = value.trim() === value && ref.tag === undefined && ref.digest === undefined;
    } catch {
      ok = false;
    }
    if (!ok) ctx.addIssue({ code: 'custom', message: `${key} "${value}" must be an image repository without tag or digest, e.g. tarscloud/framework` });
  };
}

/** dockerd's insecure-registries forms: host, host:port or an IPv4 CIDR (an http:// prefix is tolerated). */
function insecureEntry(entry: string): boolean {
  const e = entry.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!e.includes('/')) return registryHost(e);
  const [net, bits, ...rest] = e.split('/');
  return rest.length === 0 && isIP(net!) === 4 && /^\d{1,2}$/.test(bits!) && Number(bits) <= 32;
}

function registryHost(value: string): boolean {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(value);
  if (!m) return false;
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  const portOk = m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65535);
  return portOk && (m[1]!.startsWith('[') ? isIP(host) === 6 : isAddress(host));
}
