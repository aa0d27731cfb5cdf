import type { HostConfig } from '../config/types.js';
import { CONNECT_TIMEOUT_MS, connectEngine } from './engine-connection.js';
import { engineHost } from './engine-host.js';
import type { DockerHost } from './host.js';

/**
 * Connects to one inventory host's engine: an unreachable engine is a HostError naming the host, a refused ssh
 * host key bad input (InputError).
 */
export async function connectHost(host: Pick<HostConfig, 'name' | 'docker'>, timeoutMs = CONNECT_TIMEOUT_MS): Promise<DockerHost> {
  return engineHost(await connectEngine(host, timeoutMs));
}
