// A port probe seen from outside the tool under test: it connects every `intervalMs` and reports the longest
// stretch between two answered connects, which is the downtime a client of that port sees.
import { connect } from 'node:net';

export interface Probe {
  /**
   * Stops polling once the port answers again (a gap still open is part of the downtime); the longest gap in
   * seconds between two answered connects while it ran.
   */
  stop(): Promise<{ longestGapSeconds: number; attempts: number }>;
}

function answers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ host, port });
    const done = (up: boolean) => {
      socket.destroy();
      ok(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts polling `host:port`; the port must answer once before `start` resolves, so a gap is always measured. */
export async function startProbe(host: string, port: number, intervalMs = 20): Promise<Probe> {
  let lastUp = 0;
  let longest = 0;
  let attempts = 0;
  let stopping = false;
  const firstUp = Date.now() + 30_000;
  while (!(await answers(host, port, 200))) {
    if (Date.now() > firstUp) throw new Error(`probe: ${host}:${port} does not answer`);
    await new Promise((ok) => setTimeout(ok, intervalMs));
  }
  lastUp = performance.now();
  const loop = (async () => {
    for (;;) {
      const t = performance.now();
      attempts++;
      if (await answers(host, port, intervalMs * 5)) {
        const now = performance.now();
        longest = Math.max(longest, now - lastUp);
        lastUp = now;
        if (stopping) return;
      } else if (stopping && t - lastUp > 120_000) {
        throw new Error(`probe: ${host}:${port} did not answer again within 120 s`);
      }
      const wait = intervalMs - (performance.now() - t);
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return { longestGapSeconds: longest / 1000, attempts };
    },
  };
}
