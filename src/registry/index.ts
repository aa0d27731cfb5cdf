export { RegistryClient, MANIFEST_ACCEPT, type RegistryClientOptions, type ImageInput } from './client.js';
export { RegistryError } from './errors.js';
export {
  parseReference,
  familiarName,
  formatReference,
  sameRepository,
  repoDigestFor,
  DOCKER_HUB,
  type ImageReference,
} from './reference.js';
export { isInsecureRegistry, registryBaseUrl } from './scheme.js';
export type { RequestOutcome, RequestStats, RetryOptions } from './transport.js';
export type { RateLimit } from './headers.js';
