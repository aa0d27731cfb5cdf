import { isAbsolute, resolve } from 'node:path';
import { expandHome } from './host-keys.js';
import type { DockerEndpoint, HostKeyPolicy } from './types.js';

/**
 * Turns an inventory `docker:` entry into a typed endpoint; relative file paths are resolved against `base`.
 * An ssh endpoint carries the host key policy, so no connection to it can skip the check.
 */
export function parseEndpoint(
  spec: { endpoint: string; tls?: { ca: string; cert: string; key: string }; identityFile?: string },
  base: string,
  hostKeys: HostKeyPolicy,
): DockerEndpoint {
  const abs = (p: string) => {
    const path = expandHome(p);
    return isAbsolute(path) ? path : resolve(base, path);
  };
  const url = spec.endpoint;
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (!socketPath) throw new Error(`endpoint "${url}" has no socket path`);
    return { kind: 'unix', url, socketPath: abs(socketPath) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`endpoint "${url}" is not unix://PATH, tcp://HOST:PORT or ssh://USER@HOST[:PORT]`);
  }
  if (parsed.protocol === 'tcp:') {
    if (!spec.tls) throw new Error(`endpoint "${url}" needs tls: {ca, cert, key} (plain tcp is not accepted)`);
    const port = Number(parsed.port || 2376);
    return { kind: 'tcp', url, host: parsed.hostname, port, tls: { ca: abs(spec.tls.ca), cert: abs(spec.tls.cert), key: abs(spec.tls.key) } };
  }
  if (parsed.protocol === 'ssh:') {
    return {
      kind: 'ssh',
      url,
      // WHATWG keeps the brackets of an IPv6 host; ssh and known_hosts want the bare address.
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(parsed.port || 22),
      user: decodeURIComponent(parsed.username || 'root'),
      ...(spec.identityFile ? { identityFile: abs(spec.identityFile) } : {}),
      hostKeys,
    };
  }
  throw new Error(`endpoint "${url}" is not unix://PATH, tcp://HOST:PORT or ssh://USER@HOST[:PORT]`);
}
