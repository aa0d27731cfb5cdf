import { readFileSync } from 'node:fs';
import { privateTempDir } from '../exit-cleanup.js';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Client, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import type { HostKeyPolicy } from '../config/types.js';
import { hostKeyCheck, type HostKeyResult } from './host-key.js';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  identityFile?: string;
  hostKeys: HostKeyPolicy;
}

export interface SshTunnel {
  socketPath: string;
  /** The host key the first connection verified. */
  hostKey: HostKeyResult;
  close(): Promise<void>;
}

/** sshd refuses more than MaxSessions (10 by default) channels on one connection; stay below it. */
const CHANNELS_PER_CONNECTION = 8;

interface Conn {
  client: Client;
  channels: number;
}

/**
 * A local unix socket whose every connection becomes `docker system dial-stdio` on the remote end, the way the
 * docker CLI talks over ssh. dockerode and docker-compose both use it; ssh connections are opened as the number
 * of simultaneous channels needs them.
 */
export async function openSshTunnel(target: SshTarget, timeoutMs: number): Promise<SshTunnel> {
  const first = await connectSsh(target, timeoutMs);
  const pool: Conn[] = [{ client: first.client, channels: 0 }];
  const dir = privateTempDir('tars-docker-ssh-');
  const socketPath = join(dir.path, 'docker.sock');
  const pick = async (): Promise<Conn> => {
    const free = pool.find((c) => c.channels < CHANNELS_PER_CONNECTION);
    if (free) return free;
    const added = { client: (await connectSsh(target, timeoutMs)).client, channels: 0 };
    pool.push(added);
    return added;
  };
  const sockets = new Set<Socket>();
  const server = createServer((local) => {
    sockets.add(local);
    local.on('close', () => sockets.delete(local));
    local.on('error', () => {});
    pick().then((conn) => forward(conn, local), () => local.destroy());
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(socketPath, ok));
  return {
    socketPath,
    hostKey: first.hostKey,
    close: async () => {
      // Idle keep-alive sockets of the HTTP clients would hold the server open until they time out.
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
      for (const c of pool) c.client.end();
      dir.remove();
    },
  };
}

/** Every connection checks the host key before it authenticates, so nothing is sent to a host that is not known. */
async function connectSsh(target: SshTarget, timeoutMs: number): Promise<{ client: Client; hostKey: HostKeyResult }> {
  const check = hostKeyCheck(target.hostKeys, target.host, target.port);
  // loaded on first use: a command that never reaches an ssh host does not pay for loading ssh2
  const { Client: SshClient } = await import('ssh2');
  const client = new SshClient();
  let hostKey: HostKeyResult | undefined;
  let refused: unknown;
  const hostVerifier = (key: Buffer): boolean => {
    try {
      hostKey = check.verify(key);
      return true;
    } catch (err) {
      refused = err;
      return false;
    }
  };
  const preferred = check.preferred as ServerHostKeyAlgorithm[];
  const algorithms: ConnectConfig['algorithms'] = preferred.length
    ? { serverHostKey: { remove: preferred, prepend: preferred, append: [] } }
    : {};
  return new Promise((ok, fail) => {
    client
      .once('ready', () => ok({ client, hostKey: hostKey! }))
      .once('error', (err) => fail(refused ?? err))
      .connect({
        host: target.host,
        port: target.port,
        username: target.user,
        readyTimeout: timeoutMs,
        keepaliveInterval: 10_000,
        hostVerifier,
        algorithms,
        ...(target.identityFile ? { privateKey: readFileSync(target.identityFile) } : { agent: process.env.SSH_AUTH_SOCK }),
      });
  });
}

function forward(conn: Conn, local: Socket): void {
  conn.channels += 1;
  let released = false;
  const release = () => {
    if (!released) conn.channels -= 1;
    released = true;
  };
  conn.client.exec('docker system dial-stdio', (err, remote) => {
    if (err) {
      release();
      local.destroy();
      return;
    }
    local.pipe(remote).pipe(local);
    remote.on('error', () => local.destroy());
    local.on('close', () => remote.close());
    remote.on('close', () => {
      release();
      local.destroy();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => server.close(() => ok()));
}
