import { Counter, Gauge, type Registry } from 'prom-client';
import { errorMessage } from '../errors.js';
import { redact } from '../redact.js';
import type { HistoryRow } from '../rollout/history.js';

/** Newest first, as `readHistory` returns them. */
export type ReadRuns = () => Promise<HistoryRow[]>;

/**
 * The last upgrade and the last rollback from the history in MySQL, read at every scrape. When MySQL cannot be
 * read the previous values stay and an error is counted; the log hears of it once per outage, not per scrape.
 */
export class HistoryMetrics {
  private readonly info: Gauge<'kind' | 'outcome' | 'from' | 'to'>;
  private readonly duration: Gauge<'kind'>;
  private readonly ended: Gauge<'kind'>;
  private readonly errors: Counter;
  private failing = false;

  constructor(registry: Registry, private readonly readRuns: ReadRuns, private readonly log: (line: string) => void) {
    const registers = [registry];
    this.info = new Gauge({
      name: 'tars_docker_last_rollout_info',
      help: 'The newest upgrade and rollback in the history (always 1): outcome succeeded, failed, rolled-back, interrupted, abandoned or running.',
      labelNames: ['kind', 'outcome', 'from', 'to'] as const,
      registers,
    });
    this.duration = new Gauge({
      name: 'tars_docker_last_rollout_duration_seconds',
      help: 'How long the newest finished upgrade or rollback took, start to recorded outcome.',
      labelNames: ['kind'] as const,
      registers,
    });
    this.ended = new Gauge({
      name: 'tars_docker_last_rollout_end_timestamp_seconds',
      help: 'When the newest upgrade or rollback recorded its outcome (Unix time).',
      labelNames: ['kind'] as const,
      registers,
    });
    this.errors = new Counter({
      name: 'tars_docker_history_read_errors_total',
      help: 'Scrapes at which the upgrade history could not be read from MySQL.',
      registers,
    });
  }

  async refresh(): Promise<void> {
    let rows: HistoryRow[];
    try {
      rows = await this.readRuns();
    } catch (err) {
      this.errors.inc();
      if (!this.failing) this.log(redact(`metrics: cannot read the upgrade history: ${errorMessage(err)}`));
      this.failing = true;
      return;
    }
    if (this.failing) this.log('metrics: the upgrade history can be read again');
    this.failing = false;
    this.set(rows);
  }

  private set(rows: HistoryRow[]): void {
    this.info.reset();
    this.duration.reset();
    this.ended.reset();
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.kind)) continue;
      seen.add(r.kind);
      this.info.set({ kind: r.kind, outcome: r.outcome, from: r.from ?? '', to: r.to }, 1);
      if (!r.finished) continue;
      this.duration.set({ kind: r.kind }, Math.max(0, (r.finished.getTime() - r.started.getTime()) / 1000));
      this.ended.set({ kind: r.kind }, r.finished.getTime() / 1000);
    }
  }
}
