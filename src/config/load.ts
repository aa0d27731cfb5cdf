import { resolve } from 'node:path';
import type { Config } from './types.js';
import { readEnvFile } from './env-file.js';
import { readInventory } from './inventory.js';

export interface ConfigPaths {
  envFile?: string;
  inventory?: string;
  /** OpenSSH's StrictHostKeyChecking=accept-new for every ssh endpoint. */
  acceptNewHostKeys?: boolean;
  /** Told one line whenever a new host key is recorded. */
  onHostKeyRecorded?: (line: string) => void;
}

/** One validated Config from `.env` + `tars-docker.yml`; any problem is an InputError (exit 2) before anything runs. */
export function loadConfig(paths: ConfigPaths, cwd = process.cwd()): Config {
  const envFile = resolve(cwd, paths.envFile ?? '.env');
  const inventoryFile = resolve(cwd, paths.inventory ?? 'tars-docker.yml');
  const env = readEnvFile(envFile);
  const inventory = readInventory(inventoryFile, {
    acceptNew: Boolean(paths.acceptNewHostKeys),
    ...(paths.onHostKeyRecorded ? { announce: paths.onHostKeyRecorded } : {}),
  });
  const v = env.values;
  return {
    envFile,
    inventoryFile,
    project: inventory.project,
    mysql: { host: v.MYSQL_HOST, port: Number(v.MYSQL_PORT), user: v.MYSQL_USER, password: v.MYSQL_ROOT_PASSWORD },
    rebuild: v.REBUILD,
    images: { framework: v.FRAMEWORK_IMAGE, node: v.NODE_IMAGE, nodeTag: v.NODE_TAG },
    registry: {
      ...(v.REGISTRY_MIRROR ? { mirror: v.REGISTRY_MIRROR } : {}),
      ...(v.REGISTRY_USERNAME ? { username: v.REGISTRY_USERNAME } : {}),
      ...(v.REGISTRY_PASSWORD ? { password: v.REGISTRY_PASSWORD } : {}),
      insecure: v.REGISTRY_INSECURE.split(',').map((x) => x.trim()).filter(Boolean),
    },
    hosts: inventory.hosts,
    hostKeys: inventory.hostKeys,
    hooks: inventory.hooks,
    env: env.raw,
  };
}
