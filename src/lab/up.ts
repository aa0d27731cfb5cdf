import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { settleAll } from '../settle-all.js';
import { ensureBuildEngine } from './build-engine.js';
import { verifyEndpoints } from './clients.js';
import { ensureHost } from './host.js';
import { labHost, toInfra } from './infra.js';
import { claimOwner, withLabLock } from './lock.js';
import { allowBridgedTraffic, ensureBridge } from './network.js';
import { labDir, labFiles, runBase } from './paths.js';
import { unmountUnder } from './cleanup.js';
import { preflight } from './preflight.js';
import type { Tools } from './preflight.js';
import { ensureMysql, ensureRegistry } from './services.js';
import { ensureLabKey, writeLabKnownHosts } from './ssh.js';
import { emptyState, loadSecrets, readState, saveState } from './state.js';
import { ensureLabTls } from './tls.js';
import { LAB_BRIDGE, LAB_GATEWAY } from './types.js';
import type { LabHost, LabInfra, LabSecrets, LabState, Log } from './types.js';

const MAX_HOSTS = 200;

/** labDown deletes the directory it is given, so only an empty one or one we made ever becomes a lab. */
function prepareDir(dir: string): void {
  const f = labFiles(dir);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(f.marker) && !existsSync(f.state)) {
    throw new InputError(`lab: ${dir} is not empty and not a lab directory; choose another --dir`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(f.marker, 'tars-docker lab directory: `tars-docker lab down` deletes it\n');
  // An empty config file keeps a system /etc/docker/daemon.json out of the lab engines.
  writeFileSync(f.daemonJson, '{}\n');
}

async function ensureNetwork(tools: Tools, state: LabState, log: Log): Promise<void> {
  state.bridge = LAB_BRIDGE;
  saveState(state);
  await ensureBridge(tools);
  state.forwardRule = (await allowBridgedTraffic()) ?? state.forwardRule;
  saveState(state);
  log(`network: bridge ${LAB_BRIDGE} ${LAB_GATEWAY}/24${state.forwardRule ? ', FORWARD accept rule for bridged traffic' : ''}`);
}

/** Runs every task to the end before failing, so nothing keeps starting after the lock is released. */
async function all(tasks: Promise<unknown>[]): Promise<void> {
  await settleAll(tasks);
}

async function open(dir: string, log: Log): Promise<{ state: LabState; secrets: LabSecrets }> {
  const dead = claimOwner(dir);
  if (dead) {
    // Its engines died without unmounting; nothing else of it is left running.
    await unmountUnder([dead, runBase(dead)]);
    rmSync(runBase(dead), { recursive: true, force: true });
    log(`lab: took over the network of the dead lab in ${dead}`);
  }
  prepareDir(dir);
  const state = readState(dir) ?? emptyState(dir);
  saveState(state);
  return { state, secrets: loadSecrets(dir, true) as LabSecrets };
}

/** The two prerequisites, as promises: what needs only the bridge does not wait for certificates. */
function groundwork(tools: Tools, state: LabState, log: Log): { bridge: Promise<void>; hostsReady: Promise<void> } {
  const bridge = ensureNetwork(tools, state, log);
  const creds = all([ensureLabTls(tools.openssl, state.dir), ensureLabKey(tools.sshKeygen, state.dir)]);
  return { bridge, hostsReady: all([bridge, creds]) };
}

/**
 * Brings the lab to "everything up" and returns how to reach it. Idempotent: what answers is kept as is,
 * what does not is cleared by name and started again. Never shrinks: extra hosts from labAddHost stay.
 */
export async function labUp(opts: { dir: string; hosts: number }, log: Log): Promise<LabInfra> {
  const dir = labDir(opts.dir);
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > MAX_HOSTS) {
    throw new InputError(`lab: hosts must be an integer from 1 to ${MAX_HOSTS}, got ${opts.hosts}`);
  }
  const tools = await preflight(log);
  return withLabLock(log, async () => {
    const started = Date.now();
    const { state, secrets } = await open(dir, log);
    const { bridge, hostsReady } = groundwork(tools, state, log);
    const count = Math.max(opts.hosts, ...state.hosts.map((h) => h.index));
    const indices = Array.from({ length: count }, (_, i) => i + 1);
    // Each service waits only for what it needs; MariaDB's slow bootstrap starts before the bridge exists.
    const fresh = new Set<string>();
    const host = (i: number) => hostsReady.then(() => ensureHost(tools, state, i, log)).then((r) => r.started && fresh.add(r.host.name));
    await all([
      hostsReady,
      ...indices.map(host),
      ensureBuildEngine(tools, state, log),
      bridge.then(() => ensureRegistry(tools, state, 'plain', secrets, log)),
      bridge.then(() => ensureRegistry(tools, state, 'auth', secrets, log)),
      ensureMysql(tools, state, secrets, log, bridge),
    ]);
    writeLabKnownHosts(dir, state.hosts);
    const infra = toInfra(state, secrets);
    // A host left running already answered on its socket and passed the full check when it started.
    await all([
      verifyEndpoints(infra, infra.hosts.filter((h) => fresh.has(h.name))),
      verifyEndpoints(infra, infra.hosts.filter((h) => !fresh.has(h.name)), ['tcp']),
    ]);
    const n = infra.hosts.length;
    log(`lab: up in ${dir}, ${n} host${n === 1 ? '' : 's'}, endpoints verified (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return infra;
  });
}

/** One more host (next index) with its own namespace, dockerd and sshd. */
export async function labAddHost(dir: string, log: Log): Promise<LabHost> {
  const abs = labDir(dir);
  const tools = await preflight(log);
  return withLabLock(log, async () => {
    if (!readState(abs)) throw new InputError(`lab: not up in ${abs} (run \`tars-docker lab up\`)`);
    const { state, secrets } = await open(abs, log);
    await groundwork(tools, state, log).hostsReady;
    const index = Math.max(0, ...state.hosts.map((h) => h.index)) + 1;
    if (index > MAX_HOSTS) throw new InputError(`lab: at most ${MAX_HOSTS} hosts`);
    const host = labHost((await ensureHost(tools, state, index, log)).host);
    writeLabKnownHosts(abs, state.hosts);
    await verifyEndpoints(toInfra(state, secrets), [host]);
    return host;
  });
}
