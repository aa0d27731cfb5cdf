import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { enginePings, waitFor } from './wait.js';
import { isAlive, spawnDetached, tail } from './proc.js';
import { DOCKER_TLS_PORT, REGISTRY_AUTH, REGISTRY_PLAIN } from './types.js';
import type { EngineState, HostState, ProcRecord } from './types.js';

/** Flags every lab engine shares: no bridge, no firewall or forwarding changes, our registries trusted. */
export function engineArgs(engine: EngineState, daemonJson: string): string[] {
  return [
    `--config-file=${daemonJson}`,
    `--data-root=${engine.dataRoot}`,
    `--exec-root=${engine.execRoot}`,
    `--pidfile=${engine.pidFile}`,
    `--host=unix://${engine.socket}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--ip-forward=false',
    '--userland-proxy=false',
    // labDown tears everything down anyway; a long graceful stop of each container would only slow it.
    '--shutdown-timeout=3',
    '--log-level=warn',
    `--insecure-registry=${REGISTRY_PLAIN}`,
    `--insecure-registry=${REGISTRY_AUTH}`,
  ];
}

/** A host engine lives in its namespace; nsenter (unlike `ip netns exec`) leaves /sys and cgroups alone. */
export function hostEngineCommand(dockerd: string, nsenter: string, host: HostState, daemonJson: string, tls: string[]): string[] {
  return [
    nsenter,
    `--net=/run/netns/${host.netns}`,
    dockerd,
    ...engineArgs(host, daemonJson),
    `--host=tcp://${host.address}:${DOCKER_TLS_PORT}`,
    ...tls,
  ];
}

export async function startEngine(argv: string[], engine: EngineState): Promise<ProcRecord> {
  for (const d of [engine.dataRoot, engine.execRoot, dirname(engine.socket), dirname(engine.pidFile)]) {
    mkdirSync(d, { recursive: true });
  }
  rmSync(engine.socket, { force: true });
  const [cmd, ...args] = argv as [string, ...string[]];
  const pid = await spawnDetached(cmd, args, engine.log);
  return { pid, exe: 'dockerd', marker: engine.pidFile, log: engine.log };
}

export async function waitEngine(rec: ProcRecord, engine: EngineState, timeoutMs = 60_000): Promise<void> {
  await waitFor(() => enginePings(engine.socket), {
    what: `${engine.name}: dockerd did not answer /_ping`,
    timeoutMs,
    intervalMs: 100,
    abort: () => (isAlive(rec.pid) ? null : 'dockerd exited'),
    detail: () => tail(engine.log),
  });
}
