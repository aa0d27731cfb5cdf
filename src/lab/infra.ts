import { TarsDockerError } from '../errors.js';
import { certFiles, labDir, labFiles } from './paths.js';
import { isOurs } from './proc.js';
import { loadSecrets, readState } from './state.js';
import {
  DOCKER_TLS_PORT,
  LAB_GATEWAY,
  LAB_SUBNET,
  MYSQL_PORT,
  REGISTRY_AUTH,
  REGISTRY_PLAIN,
  REGISTRY_USER,
} from './types.js';
import type { HostState, LabHost, LabInfra, LabSecrets, LabState } from './types.js';

export function labHost(host: HostState): LabHost {
  return {
    name: host.name,
    address: host.address,
    endpoints: {
      unix: `unix://${host.socket}`,
      tcp: `tcp://${host.address}:${DOCKER_TLS_PORT}`,
      ssh: `ssh://root@${host.address}:22`,
    },
  };
}

export function toInfra(state: LabState, secrets: LabSecrets): LabInfra {
  const c = certFiles(state.dir);
  return {
    dir: state.dir,
    subnet: LAB_SUBNET,
    gateway: LAB_GATEWAY,
    buildSocket: state.build?.socket ?? '',
    registry: { plain: REGISTRY_PLAIN, auth: REGISTRY_AUTH, username: REGISTRY_USER, password: secrets.registryPassword },
    mysql: { host: LAB_GATEWAY, port: MYSQL_PORT, user: 'root', password: secrets.mysqlRootPassword },
    sshKey: labFiles(state.dir).sshKey,
    knownHosts: labFiles(state.dir).knownHosts,
    certs: { ca: c.ca, clientCert: c.clientCert, clientKey: c.clientKey },
    hosts: state.hosts.map(labHost),
  };
}

/** The running lab, for commands and tests; checks the recorded processes are alive, not that they answer. */
export async function readLabInfra(dir: string): Promise<LabInfra> {
  const abs = labDir(dir);
  const state = readState(abs);
  const secrets = loadSecrets(abs, false);
  if (!state || !secrets) throw new TarsDockerError(`lab: not up in ${abs} (run \`tars-docker lab up\`)`);
  const dead = Object.entries(state.processes)
    .filter(([, rec]) => !isOurs(rec))
    .map(([key]) => key);
  const expected = ['mysql', 'registry.plain', 'registry.auth', 'build.dockerd', ...state.hosts.flatMap((h) => [`${h.name}.dockerd`, `${h.name}.sshd`])];
  const missing = expected.filter((k) => !state.processes[k]);
  if (dead.length + missing.length > 0) {
    throw new TarsDockerError(`lab: not fully up in ${abs} (down: ${[...missing, ...dead].join(', ')}); run \`tars-docker lab up\``);
  }
  return toInfra(state, secrets);
}
