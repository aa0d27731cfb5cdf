import { readFileSync, symlinkSync } from 'node:fs';
import { privateTempDir } from '../exit-cleanup.js';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { HostConfig } from '../config/types.js';
import { HostError, InputError, errorMessage } from '../errors.js';
import { HostKeyRefused, type HostKeyResult } from './host-key.js';
import { openSshTunnel } from './ssh-tunnel.js';
import { withTimeout } from '../timeout.js';

/**
 * A connected Docker engine of one inventory host as dockerode sees it, plus the env that points docker-compose
 * at the same engine. Only src/docker (and the lab, which builds engines) works with it; every other folder gets
 * the DockerHost that `connectHost` makes of it.
 */
export interface EngineConnection {
  name: string;
  url: string;
  docker: Docker;
  composeEnv: Record<string, string>;
  /** For ssh endpoints: the host key that was verified (and whether this connection recorded it). */
  hostKey?: HostKeyResult;
  close(): Promise<void>;
}

export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * How long an engine may stay silent during one API call before the call fails. A frozen dockerd (or a host that
 * vanished) then fails the step instead of hanging the run; it is above the 30 s stop grace a restart gives the
 * old container, and pulls and log streams send bytes far more often than this.
 */
export const ENGINE_IDLE_TIMEOUT_MS = 45_000;

export async function connectEngine(host: Pick<HostConfig, 'name' | 'docker'>, timeoutMs = CONNECT_TIMEOUT_MS): Promise<EngineConnection> {
  const ep = host.docker;
  try {
    const opened = await withTimeout(open(host), timeoutMs, `no answer within ${timeoutMs / 1000}s`);
    try {
      await withTimeout(opened.docker.ping(), timeoutMs, `no answer within ${timeoutMs / 1000}s`);
    } catch (err) {
      await opened.close();
      throw err;
    }
    const recorded = opened.hostKey?.recordedIn;
    if (ep.kind === 'ssh' && recorded) {
      ep.hostKeys.announce?.(`${host.name}: recorded host key ${opened.hostKey!.type} ${opened.hostKey!.fingerprint} of ${ep.url} in ${recorded}`);
    }
    return opened;
  } catch (err) {
    // Bad input, not a failure: the host answered, but it is not (or no longer) the host the inventory means.
    if (err instanceof HostKeyRefused) throw new InputError(`${host.name}: ${err.message}`, { host: host.name }, { cause: err });
    if (err instanceof InputError) throw err;
    throw new HostError(host.name, `cannot reach Docker at ${ep.url}: ${errorMessage(err)}`, { cause: err });
  }
}

// loaded on first use: dockerode, with the ssh2 it brings, is about half of the CLI's module loading, which a
// command that stops at bad input or never reaches an engine does not pay
const loadDockerode = async () => (await import('dockerode')).default;

async function open(host: Pick<HostConfig, 'name' | 'docker'>): Promise<EngineConnection> {
  const ep = host.docker;
  const base = { name: host.name, url: ep.url };
  switch (ep.kind) {
    case 'unix': {
      const Dockerode = await loadDockerode();
      return {
        ...base,
        docker: new Dockerode({ socketPath: ep.socketPath, timeout: ENGINE_IDLE_TIMEOUT_MS }),
        composeEnv: { DOCKER_HOST: `unix://${ep.socketPath}` },
        close: async () => {},
      };
    }
    case 'tcp': {
      const Dockerode = await loadDockerode();
      // docker-compose wants the TLS files under fixed names in one directory.
      const { path: certDir, remove } = privateTempDir('tars-docker-tls-');
      symlinkSync(ep.tls.ca, join(certDir, 'ca.pem'));
      symlinkSync(ep.tls.cert, join(certDir, 'cert.pem'));
      symlinkSync(ep.tls.key, join(certDir, 'key.pem'));
      return {
        ...base,
        docker: new Dockerode({
          protocol: 'https',
          host: ep.host,
          port: ep.port,
          ca: readFileSync(ep.tls.ca),
          cert: readFileSync(ep.tls.cert),
          key: readFileSync(ep.tls.key),
          timeout: ENGINE_IDLE_TIMEOUT_MS,
        }),
        composeEnv: { DOCKER_HOST: `tcp://${ep.host}:${ep.port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir },
        close: async () => remove(),
      };
    }
    case 'ssh': {
      // The handshake goes first: the remote sshd's part of it (fork, key exchange, auth) then overlaps the loading.
      const opening = openSshTunnel(ep, CONNECT_TIMEOUT_MS);
      const [tunnel, Dockerode] = await Promise.all([opening, loadDockerode().catch(async (err: unknown) => {
        await opening.then((t) => t.close(), () => {});
        throw err;
      })]);
      return {
        ...base,
        docker: new Dockerode({ socketPath: tunnel.socketPath, timeout: ENGINE_IDLE_TIMEOUT_MS }),
        composeEnv: { DOCKER_HOST: `unix://${tunnel.socketPath}` },
        hostKey: tunnel.hostKey,
        close: () => tunnel.close(),
      };
    }
  }
}
