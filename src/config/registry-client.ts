import { RegistryClient, type RegistryClientOptions } from '../registry/client.js';
import { parseReference } from '../registry/reference.js';
import type { Config } from './types.js';

/**
 * The `.env` username/password belong to the registry the configured images live in (the lab's basic-auth
 * registry, a private registry); they are never sent to the mirror or to any other registry.
 */
export function registryClientOptions(
  config: Pick<Config, 'images' | 'registry'>,
  extra: Omit<RegistryClientOptions, 'credentials' | 'mirror'> = {},
): RegistryClientOptions {
  const opts: RegistryClientOptions = { ...extra, insecureRegistries: [...(extra.insecureRegistries ?? []), ...(config.registry.insecure ?? [])] };
  const { username, password, mirror } = config.registry;
  if (mirror) opts.mirror = mirror;
  if (username && password) {
    const images = [config.images.framework, config.images.node].filter(Boolean);
    const hosts = new Set(images.map((i) => parseReference(i).registry));
    opts.credentials = Object.fromEntries([...hosts].map((h) => [h, { username, password }]));
  }
  return opts;
}

export function createRegistryClient(
  config: Pick<Config, 'images' | 'registry'>,
  extra: Omit<RegistryClientOptions, 'credentials' | 'mirror'> = {},
): RegistryClient {
  return new RegistryClient(registryClientOptions(config, extra));
}
