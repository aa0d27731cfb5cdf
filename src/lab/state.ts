import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerSecret } from '../redact.js';
import { labFiles, runBase } from './paths.js';
import type { LabSecrets, LabState } from './types.js';

export function emptyState(dir: string): LabState {
  return {
    version: 1,
    dir,
    runBase: runBase(dir),
    bridge: null,
    hosts: [],
    build: null,
    processes: {},
    forwardRule: null,
    mysqlReady: false,
  };
}

export function readState(dir: string): LabState | null {
  const file = labFiles(dir).state;
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as LabState;
}

/** Written after every resource, whole-file and renamed, so a crash never leaves half a record. */
export function saveState(state: LabState): void {
  writeAtomic(labFiles(state.dir).state, `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

export function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function password(): string {
  // Alphanumerics only: the value lands unquoted in .env files and URLs.
  return randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 24);
}

/** Created once; later runs reuse them because MariaDB and the htpasswd file already hold them. */
export function loadSecrets(dir: string, create: boolean): LabSecrets | null {
  const file = labFiles(dir).secrets;
  let secrets: LabSecrets | null = null;
  if (existsSync(file)) secrets = JSON.parse(readFileSync(file, 'utf8')) as LabSecrets;
  else if (create) {
    secrets = { mysqlRootPassword: password(), registryPassword: password() };
    writeAtomic(file, `${JSON.stringify(secrets)}\n`, 0o600);
  }
  if (secrets) {
    registerSecret(secrets.mysqlRootPassword);
    registerSecret(secrets.registryPassword);
  }
  return secrets;
}
