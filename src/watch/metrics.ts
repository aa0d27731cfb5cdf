import { Counter, Gauge, Registry } from 'prom-client';
import type { RequestOutcome } from '../registry/index.js';
import type { CheckReport } from '../versions/check-report.js';
import { HistoryMetrics, type ReadRuns } from './metrics-history.js';
import type { CycleResult } from './run-watch.js';

export interface Health {
  /** `starting` until the first check finished, then whether the last one succeeded. */
  status: 'starting' | 'ok' | 'failing';
  lastCheck: { at: string; ok: boolean; error?: string } | null;
  lastSuccess: string | null;
}

/**
 * The watcher's Prometheus metrics, in a registry of its own (never prom-client's global one). Check gauges
 * hold what the last successful check saw; a failed check leaves them and counts an error instead.
 */
export class WatchMetrics {
  readonly registry = new Registry();
  private readonly checks = this.counter('tars_docker_watch_checks_total', 'Checks run by this watcher, failed or not.');
  private readonly checkErrors = this.counter('tars_docker_watch_check_errors_total', 'Checks that failed (a registry or host could not be read).');
  private readonly lastSuccess = new Gauge({
    name: 'tars_docker_watch_last_success_timestamp_seconds',
    help: 'When the last successful check finished (Unix time); 0 until one has.',
    registers: [this.registry],
  });
  private readonly updateAvailable = new Gauge({
    name: 'tars_docker_update_available',
    help: '1 when hosts running image:current should move to newest (behind, or a moved tag), 0 when up to date.',
    labelNames: ['image', 'current', 'newest'] as const,
    registers: [this.registry],
  });
  private readonly hostVersion = new Gauge({
    name: 'tars_docker_host_version_info',
    help: 'The image tag each host runs, by role (always 1; empty version when the host could not be read).',
    labelNames: ['host', 'role', 'version'] as const,
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'tars_docker_registry_requests_total',
    help: 'HTTP requests to registries and their token servers, by HTTP status ("error" when none came back).',
    labelNames: ['registry', 'status'] as const,
    registers: [this.registry],
  });
  private readonly rateRemaining = new Gauge({
    name: 'tars_docker_registry_ratelimit_remaining',
    help: 'Pulls left in the window, from the last ratelimit-remaining header the registry sent (Docker Hub).',
    labelNames: ['registry'] as const,
    registers: [this.registry],
  });
  private readonly history: HistoryMetrics;
  private health: Health = { status: 'starting', lastCheck: null, lastSuccess: null };

  constructor(readRuns: ReadRuns, log: (line: string) => void) {
    this.history = new HistoryMetrics(this.registry, readRuns, log);
  }

  private counter(name: string, help: string): Counter {
    return new Counter({ name, help, registers: [this.registry] });
  }

  /** For the registry client's `onRequest`. */
  readonly observeRequest = (o: RequestOutcome): void => {
    this.requests.inc({ registry: o.registry, status: o.status === null ? 'error' : String(o.status) });
    if (o.rateLimit?.remaining !== undefined) this.rateRemaining.set({ registry: o.rateLimit.registry }, o.rateLimit.remaining);
  };

  /** For runWatch's `onCycle`. */
  readonly recordCycle = (r: CycleResult, now: Date = new Date()): void => {
    const at = now.toISOString();
    this.checks.inc();
    if (!r.report) {
      this.checkErrors.inc();
      this.health = { ...this.health, status: 'failing', lastCheck: { at, ok: false, error: r.error ?? 'check failed' } };
      return;
    }
    this.lastSuccess.set(now.getTime() / 1000);
    this.setReport(r.report);
    this.health = { status: 'ok', lastCheck: { at, ok: true }, lastSuccess: at };
  };

  private setReport(report: CheckReport): void {
    // Hosts on the same image and tag share a series: 1 as soon as one of them needs the update.
    const series = new Map<string, { labels: { image: string; current: string; newest: string }; value: number }>();
    for (const h of report.hosts) {
      if (h.verdict === 'unknown' || !h.image || !h.running) continue;
      const labels = { image: h.image, current: h.running, newest: h.newest ?? '' };
      const key = JSON.stringify(labels);
      const value = h.verdict === 'behind' || h.verdict === 'moved' ? 1 : 0;
      series.set(key, { labels, value: Math.max(value, series.get(key)?.value ?? 0) });
    }
    this.updateAvailable.reset();
    for (const { labels, value } of series.values()) this.updateAvailable.set(labels, value);
    this.hostVersion.reset();
    for (const h of report.hosts) this.hostVersion.set({ host: h.name, role: h.role ?? '', version: h.running ?? '' }, 1);
  }

  healthz(): Health {
    return this.health;
  }

  /** The exposition text; the rollout history is read from MySQL now, so an upgrade shows without waiting for a check. */
  async render(): Promise<string> {
    await this.history.refresh();
    return this.registry.metrics();
  }
}
