import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  identityFile?: string;
}

export interface SshTunnel {
  socketPath: string;
  close(): Promise<void>;
}

/**
 * A local unix socket whose every connection becomes `docker system dial-stdio` on the remote end, the way the
 * docker CLI talks over ssh. One ssh session serves every connection, so dockerode and docker-compose share it.
 */
export async function openSshTunnel(target: SshTarget, timeoutMs: number): Promise<SshTunnel> {
  const client = await connectSsh(target, timeoutMs);
  const dir = mkdtempSync(join(tmpdir(), 'tars-docker-ssh-'));
  const socketPath = join(dir, 'docker.sock');
  const server = createServer((local) => forward(client, local));
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(socketPath, ok));
  return {
    socketPath,
    close: async () => {
      await closeServer(server);
      client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function connectSsh(target: SshTarget, timeoutMs: number): Promise<Client> {
  const client = new Client();
  return new Promise((ok, fail) => {
    client
      .once('ready', () => ok(client))
      .once('error', (err) => fail(err))
      .connect({
        host: target.host,
        port: target.port,
        username: target.user,
        readyTimeout: timeoutMs,
        keepaliveInterval: 10_000,
        ...(target.identityFile ? { privateKey: readFileSync(target.identityFile) } : { agent: process.env.SSH_AUTH_SOCK }),
      });
  });
}

/**
 * sshd allows few sessions per connection (MaxSessions, 10 by default), so a channel is closed as soon as its
 * local socket is, and an open refused for that reason is retried shortly instead of failing the request.
 */
function forward(client: Client, local: Socket, attempt = 0): void {
  local.on('error', () => {});
  client.exec('docker system dial-stdio', (err, remote) => {
    if (err) {
      if (attempt < 50 && !local.destroyed) setTimeout(() => forward(client, local, attempt + 1), 100);
      else local.destroy();
      return;
    }
    local.pipe(remote).pipe(local);
    remote.on('error', () => local.destroy());
    local.on('close', () => remote.close());
    remote.on('close', () => local.destroy());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => server.close(() => ok()));
}
