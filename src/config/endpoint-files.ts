import { statSync } from 'node:fs';
import type { DockerEndpoint } from './types.js';

/**
 * The files an endpoint needs (TLS CA, certificate and key; the ssh identity), each checked to be a readable
 * regular file. Returns the first problem as `[key, message]`, so the caller can name its own file and key path.
 */
export function endpointFileProblem(docker: DockerEndpoint): [key: string, message: string] | undefined {
  const files: [string, string][] =
    docker.kind === 'tcp' ? [['tls.ca', docker.tls.ca], ['tls.cert', docker.tls.cert], ['tls.key', docker.tls.key]]
      : docker.kind === 'ssh' && docker.identityFile ? [['identityFile', docker.identityFile]] : [];
  for (const [key, path] of files) {
    let problem: string | undefined;
    try {
      if (!statSync(path).isFile()) problem = 'is not a regular file';
    } catch (err) {
      problem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(err as NodeJS.ErrnoException).code})`;
    }
    if (problem) return [key, `${path} ${problem}`];
  }
  return undefined;
}
