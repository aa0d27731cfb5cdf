import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labFiles } from './paths.js';
import { isAlive, spawnDetached, tail } from './proc.js';
import { httpStatus, waitFor } from './wait.js';
import { REGISTRY_AUTH, REGISTRY_PLAIN, REGISTRY_USER } from './types.js';
import type { ProcRecord } from './types.js';

export type RegistryKind = 'plain' | 'auth';

/** The registry re-checks the hash on every request of a push; the default cost 10 adds seconds per image. */
const BCRYPT_COST = 5;

const ADDR: Record<RegistryKind, string> = { plain: REGISTRY_PLAIN, auth: REGISTRY_AUTH };

export function registryFiles(dir: string, kind: RegistryKind) {
  const base = labFiles(dir).registry;
  return {
    config: join(base, `${kind}.yml`),
    storage: join(base, kind),
    htpasswd: join(base, 'htpasswd'),
    log: join(base, `${kind}.log`),
  };
}

/** Deletion is on so tests can re-push a tag. */
export function registryConfig(dir: string, kind: RegistryKind): string {
  const f = registryFiles(dir, kind);
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${f.storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${ADDR[kind]}`,
    // Only signs upload state between requests to this one instance; set so the registry does not warn.
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (kind === 'auth') lines.push('auth:', '  htpasswd:', '    realm: tars-docker-lab', `    path: ${f.htpasswd}`);
  return `${lines.join('\n')}\n`;
}

export async function startRegistry(exe: string, dir: string, kind: RegistryKind, password: string): Promise<ProcRecord> {
  const f = registryFiles(dir, kind);
  mkdirSync(f.storage, { recursive: true });
  // Rewritten on every start so it always matches the password in secrets.json.
  if (kind === 'auth') {
    writeFileSync(f.htpasswd, `${REGISTRY_USER}:${await bcrypt.hash(password, BCRYPT_COST)}\n`, { mode: 0o600 });
  }
  writeFileSync(f.config, registryConfig(dir, kind));
  const pid = await spawnDetached(exe, ['serve', f.config], f.log);
  return { pid, exe: 'docker-registry', marker: f.config, log: f.log };
}

export async function waitRegistry(rec: ProcRecord, kind: RegistryKind): Promise<void> {
  const [host, port] = ADDR[kind].split(':') as [string, string];
  const expected = kind === 'auth' ? 401 : 200;
  await waitFor(async () => (await httpStatus({ host, port: Number(port), path: '/v2/' })) === expected, {
    what: `registry ${ADDR[kind]} did not answer /v2/`,
    timeoutMs: 20_000,
    intervalMs: 50,
    abort: () => (isAlive(rec.pid) ? null : 'docker-registry exited'),
    detail: () => tail(rec.log),
  });
}

export function registryAddress(kind: RegistryKind): string {
  return ADDR[kind];
}
