import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { TarsDockerError } from '../errors.js';
import { DOCKER_TLS_PORT } from './types.js';
import type { LabHost, LabInfra } from './types.js';

export type EndpointKind = 'unix' | 'tcp' | 'ssh';

/** A dockerode client for one lab host over one of its three endpoints. */
export function labDocker(infra: LabInfra, host: LabHost, kind: EndpointKind): Docker {
  if (kind === 'unix') return new Docker({ socketPath: host.endpoints.unix.replace(/^unix:\/\//, '') });
  if (kind === 'tcp') {
    return new Docker({
      protocol: 'https',
      host: host.address,
      port: DOCKER_TLS_PORT,
      ca: readFileSync(infra.certs.ca),
      cert: readFileSync(infra.certs.clientCert),
      key: readFileSync(infra.certs.clientKey),
    });
  }
  return new Docker({
    protocol: 'ssh',
    host: host.address,
    port: 22,
    username: 'root',
    sshOptions: { privateKey: readFileSync(infra.sshKey), readyTimeout: 10_000 },
  } as Docker.DockerOptions);
}

/** Proves each endpoint of each host answers, in parallel; the error names the host and endpoint. */
export async function verifyEndpoints(infra: LabInfra, hosts: LabHost[], kinds: EndpointKind[] = ['unix', 'tcp', 'ssh']): Promise<void> {
  await Promise.all(
    hosts.flatMap((host) =>
      kinds.map(async (kind) => {
        try {
          await withTimeout(labDocker(infra, host, kind).ping(), 15_000);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          throw new TarsDockerError(`${host.name}: docker over ${kind} (${host.endpoints[kind]}) failed: ${why}`, 1, { host: host.name });
        }
      }),
    ),
  );
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
