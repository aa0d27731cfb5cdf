import { request } from 'node:http';
import { TarsDockerError } from '../errors.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Returns a reason when waiting is pointless (the process died), so failure is immediate. */
  abort?: () => string | null;
  /** Extra detail (a log tail) for the error. */
  detail?: () => string;
}

export async function waitFor(check: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const aborted = opts.abort?.() ?? null;
    if (aborted || Date.now() > deadline) {
      const why = aborted ?? `not ready after ${Math.round(opts.timeoutMs / 1000)} s`;
      const detail = opts.detail ? `\n${opts.detail()}` : '';
      throw new TarsDockerError(`${opts.what}: ${why}${detail}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

export interface HttpTarget {
  socketPath?: string;
  host?: string;
  port?: number;
  path: string;
  headers?: Record<string, string>;
}

/** Status code of a GET, or 0 when nothing answers; short timeout so polling stays tight. */
export function httpStatus(target: HttpTarget, timeoutMs = 2000): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = request({ ...target, method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolvePromise(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(0));
    req.end();
  });
}

export async function enginePings(socketPath: string): Promise<boolean> {
  return (await httpStatus({ socketPath, path: '/_ping' })) === 200;
}
