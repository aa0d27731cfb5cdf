import { certFiles, labFiles } from './paths.js';
import type { LabHost } from './types.js';

export type CommandKind = keyof LabHost['endpoints'];

/**
 * The `scale add-host` command lines that join a new lab host over each kind of endpoint, with the lab's own
 * config files, TLS client certificate and ssh key, ready to run (pick the role; `node` is filled in).
 */
export function scaleAddHostCommands(dir: string, host: LabHost): Record<CommandKind, string[]> {
  const files = labFiles(dir);
  const certs = certFiles(dir);
  const base = ['tars-docker', '--env-file', files.envFile, '--inventory', files.inventory, 'scale', 'add-host'];
  const role = ['--role', 'node'];
  return {
    // A unix socket names no host, so the address Tars binds on must be given.
    unix: [...base, host.endpoints.unix, '--address', host.address, ...role],
    tcp: [...base, host.endpoints.tcp, '--tls-ca', certs.ca, '--tls-cert', certs.clientCert, '--tls-key', certs.clientKey, ...role],
    ssh: [...base, host.endpoints.ssh, '--identity-file', files.sshKey, ...role],
  };
}

/** One argv as a line for a POSIX shell: words that need it are single-quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
