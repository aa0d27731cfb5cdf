import { parseEndpoint } from '../config/endpoint.js';
import { connectEngine, type EngineConnection } from '../docker/engine-connection.js';
import { TarsDockerError, errorMessage } from '../errors.js';
import type { LabHost, LabInfra } from './types.js';

export type EndpointKind = 'unix' | 'tcp' | 'ssh';

/**
 * One lab host over one of its three endpoints, through the same connection code the commands use; ssh checks
 * the host key against the lab's own known_hosts only, so nothing outside the lab can vouch for a lab host.
 */
export function labConnect(infra: LabInfra, host: LabHost, kind: EndpointKind): Promise<EngineConnection> {
  const spec =
    kind === 'tcp'
      ? { endpoint: host.endpoints.tcp, tls: { ca: infra.certs.ca, cert: infra.certs.clientCert, key: infra.certs.clientKey } }
      : kind === 'ssh'
        ? { endpoint: host.endpoints.ssh, identityFile: infra.sshKey }
        : { endpoint: host.endpoints.unix };
  const hostKeys = { files: [infra.knownHosts], recordTo: infra.knownHosts, acceptNew: false };
  return connectEngine({ name: host.name, docker: parseEndpoint(spec, infra.dir, hostKeys) }, 15_000);
}

/** Proves each endpoint of each host answers, in parallel; the error names the host and endpoint. */
export async function verifyEndpoints(infra: LabInfra, hosts: LabHost[], kinds: EndpointKind[] = ['unix', 'tcp', 'ssh']): Promise<void> {
  await Promise.all(
    hosts.flatMap((host) =>
      kinds.map(async (kind) => {
        let conn: EngineConnection;
        try {
          conn = await labConnect(infra, host, kind);
        } catch (err) {
          throw new TarsDockerError(`${host.name}: docker over ${kind} (${host.endpoints[kind]}) failed: ${errorMessage(err)}`, 1, { host: host.name });
        }
        await conn.close();
      }),
    ),
  );
}
