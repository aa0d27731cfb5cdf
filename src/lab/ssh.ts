import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { labFiles } from './paths.js';
import { writeAtomic } from './state.js';
import { isAlive, run, spawnDetached, tail } from './proc.js';
import { waitFor } from './wait.js';
import type { HostState, ProcRecord } from './types.js';

export async function ensureLabKey(sshKeygen: string, dir: string): Promise<void> {
  const f = labFiles(dir);
  mkdirSync(f.ssh, { recursive: true, mode: 0o700 });
  if (!existsSync(f.sshKey) || !existsSync(`${f.sshKey}.pub`)) {
    rmSync(f.sshKey, { force: true });
    rmSync(`${f.sshKey}.pub`, { force: true });
    await run(sshKeygen, ['-q', '-t', 'ed25519', '-N', '', '-C', 'tars-docker-lab', '-f', f.sshKey]);
  }
  copyFileSync(`${f.sshKey}.pub`, f.authorizedKeys);
}

export const sshdFiles = (host: HostState) => ({
  config: join(host.hostDir, 'sshd_config'),
  hostKey: join(host.hostDir, 'ssh_host_ed25519_key'),
  pidFile: join(host.hostDir, 'sshd.pid'),
  log: join(host.hostDir, 'sshd.log'),
});

/**
 * Whatever the client asks to run, the session becomes `docker system dial-stdio` against this host's own
 * engine: that is what the docker CLI and dockerode exec over ssh, so the key grants nothing else.
 */
export function sshdConfig(host: HostState, dir: string, docker: string): string {
  const f = sshdFiles(host);
  return [
    `ListenAddress ${host.address}:22`,
    `HostKey ${f.hostKey}`,
    `PidFile ${f.pidFile}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${labFiles(dir).authorizedKeys}`,
    // The lab dir may sit under a group-writable parent; ownership checks would then refuse the key.
    'StrictModes no',
    'UsePAM no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'PermitTTY no',
    'PrintMotd no',
    'LogLevel ERROR',
    // sshd runs ForceCommand through root's bash, which sources ~/.bashrc when started by sshd at SHLVL 0;
    // a slow .bashrc (pyenv init: ~1 s here) would then delay every docker connection over ssh.
    'SetEnv SHLVL=1',
    `ForceCommand env DOCKER_HOST=unix://${host.socket} ${docker} system dial-stdio`,
    '',
  ].join('\n');
}

/** A running sshd whose config file differs from what this code would write was started by older code. */
export function sshdConfigCurrent(host: HostState, dir: string, docker: string): boolean {
  try {
    return readFileSync(sshdFiles(host).config, 'utf8') === sshdConfig(host, dir, docker);
  } catch {
    return false;
  }
}

export async function startSshd(tools: { sshd: string; sshKeygen: string; nsenter: string; docker: string }, host: HostState, dir: string): Promise<ProcRecord> {
  const f = sshdFiles(host);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  if (!existsSync(f.hostKey)) await run(tools.sshKeygen, ['-q', '-t', 'ed25519', '-N', '', '-f', f.hostKey]);
  writeFileSync(f.config, sshdConfig(host, dir, tools.docker));
  // -D keeps sshd in the foreground so the spawned pid is sshd itself; -e sends its log to our file.
  const pid = await spawnDetached(tools.nsenter, [`--net=/run/netns/${host.netns}`, tools.sshd, '-D', '-e', '-f', f.config], f.log);
  return { pid, exe: 'sshd', marker: f.config, log: f.log };
}

/**
 * Each host's sshd key as a known_hosts line: the lab made these keys itself, so it can vouch for them without
 * trusting whatever first answers on the address.
 */
export function writeLabKnownHosts(dir: string, hosts: HostState[]): void {
  const lines = hosts.map((h) => {
    const [type, key] = readFileSync(`${sshdFiles(h).hostKey}.pub`, 'utf8').trim().split(/\s+/);
    return `${h.address} ${type} ${key} ${h.name}`;
  });
  writeAtomic(labFiles(dir).knownHosts, `${lines.join('\n')}\n`, 0o644);
}

/** sshd forks and re-executes itself for each connection before its banner; on a loaded machine that took over 1 s. */
const BANNER_TIMEOUT_MS = 3_000;

function sshBanner(address: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const sock = connect({ host: address, port: 22, timeout: BANNER_TIMEOUT_MS });
    sock.once('data', (b) => {
      sock.destroy();
      resolvePromise(b.toString().startsWith('SSH-'));
    });
    sock.once('error', () => resolvePromise(false));
    // Closed before any banner (a throttled or failing pre-auth child): no error and no timeout would follow.
    sock.once('close', () => resolvePromise(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolvePromise(false);
    });
  });
}

export async function waitSshd(rec: ProcRecord, host: HostState): Promise<void> {
  await waitFor(() => sshBanner(host.address), {
    what: `${host.name}: sshd did not answer on ${host.address}:22`,
    timeoutMs: 45_000,
    intervalMs: 50,
    abort: () => (isAlive(rec.pid) ? null : 'sshd exited'),
    detail: () => tail(rec.log),
  });
}
