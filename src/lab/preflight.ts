import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TarsDockerError } from '../errors.js';
import { run } from './proc.js';
import type { Log } from './types.js';

/** Absolute paths of every program the lab runs, resolved once. */
export interface Tools {
  dockerd: string;
  docker: string;
  dockerCompose: string;
  registry: string;
  mariadbd: string;
  installDb: string;
  sshd: string;
  sshKeygen: string;
  openssl: string;
  ip: string;
  nsenter: string;
}

/** Program → Debian package that ships it. */
const NEEDED: Record<keyof Tools, [string, string]> = {
  dockerd: ['dockerd', 'docker.io'],
  docker: ['docker', 'docker.io'],
  dockerCompose: ['docker-compose', 'docker-compose'],
  registry: ['docker-registry', 'docker-registry'],
  mariadbd: ['mariadbd', 'mariadb-server'],
  installDb: ['mariadb-install-db', 'mariadb-server'],
  sshd: ['sshd', 'openssh-server'],
  sshKeygen: ['ssh-keygen', 'openssh-client'],
  openssl: ['openssl', 'openssl'],
  ip: ['ip', 'iproute2'],
  nsenter: ['nsenter', 'util-linux'],
};

const SEARCH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function which(program: string): string | null {
  // Debian's docker.io ships the client matching its engine; prefer it over a newer one in /usr/local.
  const preferred = program === 'docker' ? ['/usr/bin'] : [];
  const dirs = [...preferred, ...(process.env.PATH ?? '').split(delimiter), ...SEARCH];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return null;
}

function resolveAll(): { tools: Partial<Tools>; missing: string[] } {
  const tools: Partial<Tools> = {};
  const missing = new Set<string>();
  for (const [key, [program, pkg]] of Object.entries(NEEDED) as [keyof Tools, [string, string]][]) {
    const path = which(program);
    if (path) tools[key] = path;
    else missing.add(pkg);
  }
  return { tools, missing: [...missing] };
}

async function aptInstall(packages: string[], log: Log): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  log(`preflight: installing ${packages.join(' ')}`);
  try {
    await install();
  } catch {
    log('preflight: apt-get install failed, running apt-get update first');
    await run('apt-get', ['update'], { env });
    await install();
  }
}

export async function preflight(log: Log): Promise<Tools> {
  if (process.platform !== 'linux') throw new TarsDockerError('lab: needs Linux (network namespaces)');
  if (process.getuid?.() !== 0) throw new TarsDockerError('lab: needs root (namespaces, bridges, dockerd)');
  let { tools, missing } = resolveAll();
  if (missing.length > 0) {
    try {
      await aptInstall(missing, log);
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new TarsDockerError(`lab: missing packages ${missing.join(', ')} and apt-get could not install them (${why})`);
    }
    ({ tools, missing } = resolveAll());
    if (missing.length > 0) throw new TarsDockerError(`lab: still missing after apt-get: ${missing.join(', ')}`);
  }
  return tools as Tools;
}
