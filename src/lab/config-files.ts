import { labFiles } from './paths.js';
import { writeAtomic } from './state.js';
import type { LabHost, LabInfra } from './types.js';

const ROLES = ['master', 'slave'] as const;

export function roleOf(position: number): 'master' | 'slave' | 'node' {
  return ROLES[position] ?? 'node';
}

/** The first three hosts use unix, tcp+TLS and ssh, so every endpoint kind is exercised whenever there are three. */
function dockerBlock(infra: LabInfra, host: LabHost, position: number): string[] {
  if (position === 1) {
    const { ca, clientCert, clientKey } = infra.certs;
    return [`      endpoint: ${host.endpoints.tcp}`, `      tls: { ca: ${ca}, cert: ${clientCert}, key: ${clientKey} }`];
  }
  if (position === 2) return [`      endpoint: ${host.endpoints.ssh}`, `      identityFile: ${infra.sshKey}`];
  return [`      endpoint: ${host.endpoints.unix}`];
}

/** `knownHosts:` is absolute so that a copy of the inventory elsewhere still verifies the lab's ssh host. */
export function renderInventory(infra: LabInfra): string {
  const lines = ['project: tars', `knownHosts: ${infra.knownHosts}`, 'hosts:'];
  infra.hosts.forEach((host, i) => {
    lines.push(`  - name: ${host.name}`, `    role: ${roleOf(i)}`, `    address: ${host.address}`, '    docker:', ...dockerBlock(infra, host, i));
  });
  return `${lines.join('\n')}\n`;
}

export function renderEnv(infra: LabInfra, opts: { frameworkImage: string; nodeImage: string }): string {
  return [
    `MYSQL_HOST=${infra.mysql.host}`,
    `MYSQL_PORT=${infra.mysql.port}`,
    `MYSQL_USER=${infra.mysql.user}`,
    `MYSQL_ROOT_PASSWORD=${infra.mysql.password}`,
    'REBUILD=false',
    `FRAMEWORK_IMAGE=${opts.frameworkImage}`,
    `NODE_IMAGE=${opts.nodeImage}`,
    'NODE_TAG=latest',
    'REGISTRY_MIRROR=',
    'REGISTRY_USERNAME=',
    'REGISTRY_PASSWORD=',
    `REGISTRY_INSECURE=${infra.subnet}`,
    '',
  ].join('\n');
}

/** Both files hold or point at secrets, hence 0600. */
export function writeLabConfig(infra: LabInfra, opts: { frameworkImage: string; nodeImage: string }): { envFile: string; inventory: string } {
  const f = labFiles(infra.dir);
  writeAtomic(f.envFile, renderEnv(infra, opts), 0o600);
  writeAtomic(f.inventory, renderInventory(infra), 0o600);
  return { envFile: f.envFile, inventory: f.inventory };
}
