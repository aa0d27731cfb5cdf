import { HostError } from '../errors.js';
import { redact } from '../redact.js';

/**
 * Anything that went wrong talking to one registry. The message always starts with the registry's name so the
 * operator knows which of the configured registries (origin, mirror, token server) to look at.
 */
export class RegistryError extends HostError {
  constructor(
    readonly registry: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`registry ${registry}`, redact(message), options);
  }
}
