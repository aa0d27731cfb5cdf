import { connect } from 'node:net';

export const REGISTRY_PORT = 17890;

/** `GET http://ADDR:3000/web_version` of a master; undefined when it does not answer within the timeout. */
export async function fetchWebVersion(
  address: string,
  timeoutMs = 3_000,
): Promise<{ webVersion?: string; frameworkVersion?: string } | undefined> {
  try {
    const res = await fetch(`http://${address}:3000/web_version`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return (await res.json()) as { webVersion?: string; frameworkVersion?: string };
  } catch {
    return undefined;
  }
}

/** True when something accepts TCP connections on address:port within the timeout. */
export function portOpen(address: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect({ host: address, port, timeout: timeoutMs });
    const done = (open: boolean) => {
      sock.destroy();
      ok(open);
    };
    sock.once('connect', () => done(true));
    sock.once('timeout', () => done(false));
    sock.once('error', () => done(false));
  });
}
