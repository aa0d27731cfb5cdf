import { fileURLToPath } from 'node:url';
import type { Config, HostConfig } from '../config/types.js';

/** The compose files shipped with tars-docker, one per kind of container. */
export const COMPOSE_DIR = fileURLToPath(new URL('../../compose/', import.meta.url));

/** What docker-compose needs to create one host's container: which file, which service, which variables. */
export interface ContainerSpec {
  composeFile: string;
  service: 'framework' | 'tars-node';
  image: string;
  vars: Record<string, string>;
}

/** Pure: the container a host must run at `version`. REBUILD is never a variable here (the compose file pins it). */
export function containerSpec(config: Config, host: HostConfig, version: string): ContainerSpec {
  const common = { TARS_PROJECT: config.project, TARS_HOST: host.name, TARS_ROLE: host.role };
  if (host.role === 'node') {
    const tag = config.images.nodeTag || version;
    return {
      composeFile: `${COMPOSE_DIR}tars-node.yml`,
      service: 'tars-node',
      image: `${config.images.node}:${tag}`,
      vars: {
        ...common,
        NODE_IMAGE: config.images.node,
        NODE_TAG: tag,
        WEB_HOST: `http://${masterOf(config).address}:3000`,
        DOMAIN: host.env?.DOMAIN ?? host.address,
      },
    };
  }
  return {
    composeFile: `${COMPOSE_DIR}framework.yml`,
    service: 'framework',
    image: `${config.images.framework}:${version}`,
    vars: {
      ...common,
      FRAMEWORK_IMAGE: config.images.framework,
      FRAMEWORK_TAG: version,
      MYSQL_HOST: config.mysql.host,
      MYSQL_PORT: String(config.mysql.port),
      MYSQL_USER: config.mysql.user,
      MYSQL_ROOT_PASSWORD: config.mysql.password,
      SLAVE: host.role === 'slave' ? 'true' : 'false',
      INET: host.env?.INET ?? 'eth0',
      DOMAIN: host.env?.DOMAIN ?? '',
    },
  };
}

export function masterOf(config: Pick<Config, 'hosts'>): HostConfig {
  return config.hosts.find((h) => h.role === 'master')!;
}
