import { dirname } from 'node:path';
import { clearEngine } from './cleanup.js';
import { hostEngineCommand, startEngine, waitEngine } from './dockerd.js';
import { deleteHostNet, ensureHostNet, hostNetHealthy, netnsInode } from './network.js';
import { hostLayout, labFiles } from './paths.js';
import type { Tools } from './preflight.js';
import { cmdline, isOurs, stopRecorded } from './proc.js';
import { sshdConfigCurrent, startSshd, waitSshd } from './ssh.js';
import { saveState } from './state.js';
import { ensureServerCert, serverTls } from './tls.js';
import { enginePings } from './wait.js';
import type { HostState, LabState, Log } from './types.js';

function hostRecord(state: LabState, index: number): HostState {
  let host = state.hosts.find((h) => h.index === index);
  if (!host) {
    host = hostLayout(state.dir, index);
    state.hosts.push(host);
    state.hosts.sort((a, b) => a.index - b.index);
    saveState(state);
  }
  return host;
}

/** Stops whatever is left of a host and removes its namespace and link, so it can be built again from scratch. */
export async function resetHost(tools: Tools, state: LabState, host: HostState): Promise<void> {
  const inode = netnsInode(host.netns);
  await clearEngine(host, [host.hostDir, dirname(host.execRoot)], inode === null ? [] : [inode]);
  await deleteHostNet(tools, host.netns, host.link);
  delete state.processes[`${host.name}.dockerd`];
  delete state.processes[`${host.name}.sshd`];
  saveState(state);
}

function engineArgv(tools: Tools, state: LabState, host: HostState): string[] {
  return hostEngineCommand(tools.dockerd, tools.nsenter, host, labFiles(state.dir).daemonJson, serverTls(state.dir, host.name));
}

/** Running, answering, and started with the flags this code would use (nsenter execs dockerd, hence slice). */
async function engineHealthy(tools: Tools, state: LabState, host: HostState): Promise<boolean> {
  const rec = state.processes[`${host.name}.dockerd`];
  if (!rec || !isOurs(rec)) return false;
  if ((cmdline(rec.pid) ?? []).join('\0') !== engineArgv(tools, state, host).slice(2).join('\0')) return false;
  return (await hostNetHealthy(tools, host)) && (await enginePings(host.socket));
}

export interface EnsuredHost {
  host: HostState;
  /** Whether anything was (re)started, so callers know which endpoints still need proof. */
  started: boolean;
}

/**
 * Brings host `index` to "namespace + dockerd + sshd answering". A healthy host is left running untouched;
 * anything less is torn down by name and rebuilt, which also recovers from killed processes.
 */
export async function ensureHost(tools: Tools, state: LabState, index: number, log: Log): Promise<EnsuredHost> {
  const host = hostRecord(state, index);
  const dockerKey = `${host.name}.dockerd`;
  const sshdKey = `${host.name}.sshd`;
  if (!(await engineHealthy(tools, state, host))) {
    const started = Date.now();
    await resetHost(tools, state, host);
    await ensureHostNet(tools, host);
    await ensureServerCert(tools.openssl, state.dir, host.name, host.address);
    state.processes[dockerKey] = await startEngine(engineArgv(tools, state, host), host);
    saveState(state);
    state.processes[sshdKey] = await startSshd(tools, host, state.dir);
    saveState(state);
    await Promise.all([waitEngine(state.processes[dockerKey], host), waitSshd(state.processes[sshdKey], host)]);
    log(`${host.name}: ${host.address} dockerd + sshd up (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { host, started: true };
  }
  // Re-asserts links and addresses, e.g. re-attaches the veth when the bridge had to be recreated.
  await ensureHostNet(tools, host);
  const sshd = state.processes[sshdKey];
  if (!sshd || !isOurs(sshd) || !sshdConfigCurrent(host, state.dir, tools.docker)) {
    await stopRecorded(sshd, 2000);
    state.processes[sshdKey] = await startSshd(tools, host, state.dir);
    saveState(state);
    await waitSshd(state.processes[sshdKey], host);
    log(`${host.name}: sshd restarted`);
    return { host, started: true };
  }
  log(`${host.name}: already up`);
  return { host, started: false };
}
