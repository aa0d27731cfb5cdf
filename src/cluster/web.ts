import { connect } from 'node:net';
import { parseWebVersionAnswer, type InnerVersions } from './inner-versions.js';

export const REGISTRY_PORT = 17890;

export const WEB_PORT = 3000;

/**
 * `GET http://ADDR:3000/web_version` of a master, JSON or the plain string of a TarsWeb before 2.4.16; undefined
 * when it does not answer within the timeout. An answer without a version in it is still an answer.
 */
export async function fetchWebVersion(
  address: string,
  opts: { timeoutMs?: number; port?: number } = {},
): Promise<InnerVersions | undefined> {
  try {
    const url = `http://${address}:${opts.port ?? WEB_PORT}/web_version`;
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 3_000) });
    if (!res.ok) return undefined;
    return parseWebVersionAnswer(await res.text());
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
