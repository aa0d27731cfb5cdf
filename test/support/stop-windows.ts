// When each host's Tars container was down, from its engine's own event log: what --batch promises, checked
// without tars-docker's journal.
import type { Config } from '../../src/config/types.js';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { labConfig } from './lab.js';

export interface StopWindow {
  host: string;
  /** Engine time (ms) the old container died and the new one started. */
  died: number;
  started: number;
}

/**
 * When each host's Tars container was down between two Date.now() readings, from its engine's event log: the
 * old container's `die` to the next `start`. Hosts whose container did not restart are left out.
 */
export async function stopWindows(sinceMs: number, untilMs: number, config: Config = labConfig()): Promise<StopWindow[]> {
  const out: StopWindow[] = [];
  for (const host of config.hosts) {
    const conn = await connectEngine(host);
    try {
      const stream = await conn.docker.getEvents({
        since: Math.floor(sinceMs / 1000), until: Math.ceil(untilMs / 1000) + 1,
        filters: { type: ['container'], event: ['die', 'start'], label: [`io.tars-docker.project=${config.project}`] },
      });
      let text = '';
      for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString('utf8');
      const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Action: string; timeNano: number });
      const died = events.find((e) => e.Action === 'die');
      const started = died && events.find((e) => e.Action === 'start' && e.timeNano > died.timeNano);
      if (died && started) out.push({ host: host.name, died: died.timeNano / 1e6, started: started.timeNano / 1e6 });
    } finally {
      await conn.close();
    }
  }
  return out;
}

export const overlap = (a: StopWindow, b: StopWindow): boolean => a.died < b.started && b.died < a.started;
