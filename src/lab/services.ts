import mysql from 'mysql2/promise';
import { sweepProcesses } from './cleanup.js';
import { installMysql, mysqlFiles, startMysql, waitMysqlAndSecure } from './mysql.js';
import { labFiles } from './paths.js';
import type { Tools } from './preflight.js';
import { isOurs } from './proc.js';
import { registryAddress, registryFiles, startRegistry, waitRegistry } from './registry.js';
import type { RegistryKind } from './registry.js';
import { saveState } from './state.js';
import { httpStatus } from './wait.js';
import type { LabSecrets, LabState, Log } from './types.js';

const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

async function registryAnswers(kind: RegistryKind): Promise<boolean> {
  const [host, port] = registryAddress(kind).split(':') as [string, string];
  return (await httpStatus({ host, port: Number(port), path: '/v2/' })) === (kind === 'auth' ? 401 : 200);
}

export async function ensureRegistry(tools: Tools, state: LabState, kind: RegistryKind, secrets: LabSecrets, log: Log): Promise<void> {
  const key = `registry.${kind}`;
  const rec = state.processes[key];
  if (rec && isOurs(rec) && (await registryAnswers(kind))) {
    log(`registry: ${registryAddress(kind)} already up`);
    return;
  }
  const started = Date.now();
  // Also catches a registry of ours whose record was lost, which would still hold the port.
  await sweepProcesses({ paths: [registryFiles(state.dir, kind).config], netnsInodes: [], containerIds: [] }, 3000);
  delete state.processes[key];
  state.processes[key] = await startRegistry(tools.registry, state.dir, kind, secrets.registryPassword);
  saveState(state);
  await waitRegistry(state.processes[key], kind);
  log(`registry: ${registryAddress(kind)}${kind === 'auth' ? ' (basic auth)' : ''} up (${since(started)})`);
}

async function mysqlAnswers(dir: string, password: string): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ socketPath: mysqlFiles(dir).socket, user: 'root', password, connectTimeout: 2000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** `bridge` resolves once the address mariadbd binds exists; the datadir bootstrap does not need it. */
export async function ensureMysql(tools: Tools, state: LabState, secrets: LabSecrets, log: Log, bridge: Promise<void>): Promise<void> {
  const rec = state.processes.mysql;
  if (state.mysqlReady && rec && isOurs(rec) && (await mysqlAnswers(state.dir, secrets.mysqlRootPassword))) {
    log('mysql: already up');
    return;
  }
  const started = Date.now();
  await sweepProcesses({ paths: [labFiles(state.dir).mysql], netnsInodes: [], containerIds: [] }, 10_000);
  delete state.processes.mysql;
  if (!state.mysqlReady) await installMysql(tools.installDb, state.dir);
  await bridge;
  state.processes.mysql = await startMysql(tools.mariadbd, state.dir);
  saveState(state);
  await waitMysqlAndSecure(state.processes.mysql, state.dir, secrets.mysqlRootPassword);
  state.mysqlReady = true;
  saveState(state);
  log(`mysql: mariadbd up on 10.213.7.1:3306 (${since(started)})`);
}
