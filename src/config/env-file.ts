import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { registerSecret } from '../redact.js';

const LINE = /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/;

const EnvSchema = z.object({
  MYSQL_HOST: z.string().min(1, 'is required'),
  MYSQL_PORT: z
    .string()
    .default('3306')
    .refine((v) => /^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536, 'must be a port number (1-65535)'),
  MYSQL_USER: z.string().min(1).default('root'),
  MYSQL_ROOT_PASSWORD: z.string().default(''),
  REBUILD: z.string().optional(),
  FRAMEWORK_IMAGE: z.string().min(1).default('tarscloud/framework'),
  NODE_IMAGE: z.string().min(1).default('tarscloud/tars-node'),
  NODE_TAG: z.string().default(''),
  REGISTRY_MIRROR: z.string().default(''),
  REGISTRY_USERNAME: z.string().default(''),
  REGISTRY_PASSWORD: z.string().default(''),
  REGISTRY_INSECURE: z.string().default(''),
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
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!LINE.test(line)) throw new InputError(`${file}:${i + 1}: not a KEY=VALUE line`, { file });
  });
  const raw = parse(text);
  registerSecret(raw.MYSQL_ROOT_PASSWORD);
  registerSecret(raw.REGISTRY_PASSWORD);
  const result = EnvSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.');
    throw new InputError(`${file}: ${key} ${issue.message}`, { file, key });
  }
  return { values: result.data, raw };
}
