import { Cron } from 'croner';
import { InputError, errorMessage } from '../errors.js';
import { redact } from '../redact.js';
import type { CheckReport } from '../versions/check-report.js';
import { factsOf, nextDelivered, pendingFor, renderMessage, type Fact } from './announce.js';
import { logNotifier, type Notifier } from './notifiers.js';
import { loadState, saveState } from './state.js';

export interface WatchOptions {
  /** Cron pattern (croner: 5 fields, or 6 with seconds); required unless `once`. */
  cron?: string;
  once?: boolean;
  /** Aborting stops the schedule; a check in flight is awaited, then runWatch resolves. */
  signal?: AbortSignal;
  checkOnce: (signal?: AbortSignal) => Promise<CheckReport>;
  /** Empty: announcements go to `log`, deduplicated all the same. */
  notifiers: Notifier[];
  stateFile: string;
  log: (line: string) => void;
  /** Run a check as soon as the watcher starts instead of waiting for the first cron tick. Default true. */
  runOnStart?: boolean;
  timezone?: string;
  /** Told of every finished cycle, failed or not (`--metrics` keeps its gauges from these). */
  onCycle?: (result: CycleResult) => void;
  /** Run after each successful check, before the next can start (`--upgrade`: maybe upgrade inside a window). */
  afterCheck?: (report: CheckReport) => Promise<void>;
}

export interface CycleResult {
  report: CheckReport | null;
  /** Set when the check itself failed; nothing was announced then. */
  error?: string;
  /** The error the check threw, so `--once` can rethrow it with its exit code. */
  cause?: unknown;
  facts: Fact[];
  sent: { notifier: string; count: number }[];
  failed: { notifier: string; error: string }[];
}

export interface WatchSummary {
  cycles: number;
  last: CycleResult | null;
}

/** One check, then per notifier: send what it has not heard yet, remember what got through. */
export async function watchCycle(opts: WatchOptions): Promise<CycleResult> {
  const log = (line: string): void => opts.log(redact(line));
  let report: CheckReport;
  try {
    report = await opts.checkOnce(opts.signal);
  } catch (err) {
    return { report: null, error: redact(errorMessage(err)), cause: err, facts: [], sent: [], failed: [] };
  }
  const state = await loadState(opts.stateFile);
  const facts = factsOf(report);
  const notifiers = opts.notifiers.length > 0 ? opts.notifiers : [logNotifier(log)];
  const result: CycleResult = { report, facts, sent: [], failed: [] };
  for (const n of notifiers) {
    const previous = state.delivered[n.id] ?? [];
    const pending = pendingFor(previous, facts);
    const done = [...pending.baseline];
    if (pending.send.length > 0) {
      try {
        await n.send(renderMessage(pending.send), report, opts.signal);
        done.push(...pending.send.map((f) => f.key));
        result.sent.push({ notifier: n.label, count: pending.send.length });
        if (n.id !== 'log') log(`announced ${pending.send.length} change(s) to ${n.label}`);
      } catch (err) {
        const error = redact(errorMessage(err));
        result.failed.push({ notifier: n.label, error });
        log(`notifier ${error}; will retry on the next run`);
      }
    }
    state.delivered[n.id] = nextDelivered(previous, facts, done);
  }
  const at = new Date().toISOString();
  state.updatedAt = at;
  const newest = Object.fromEntries(report.images.map((i) => [i.image, i.newest]));
  state.lastCheck = { at, updateAvailable: report.updateAvailable, newest };
  await saveState(opts.stateFile, state);
  return result;
}

function summarize(r: CycleResult): string {
  if (!r.report) return `check failed: ${r.error}`;
  const newest = r.report.images.map((i) => `${i.image} ${i.newest ?? 'none'}`).join(', ');
  const behind = r.report.hosts.filter((h) => h.verdict === 'behind' || h.verdict === 'moved').length;
  const news =
    r.sent.length + r.failed.length === 0 ? 'nothing new to announce' : `${r.sent.length} notified, ${r.failed.length} failed`;
  return `check: newest ${newest || 'none'}; ${behind}/${r.report.hosts.length} host(s) need an update; ${news}`;
}

/**
 * `--once`: one cycle; a failed check throws so the process exits 1. Otherwise a croner schedule whose failed
 * checks are logged and tried again at the next tick; overlapping runs are skipped (croner `protect`).
 */
export async function runWatch(opts: WatchOptions): Promise<WatchSummary> {
  const log = (line: string): void => opts.log(redact(line));
  const summary: WatchSummary = { cycles: 0, last: null };
  const cycle = async (): Promise<void> => {
    const r = await watchCycle(opts);
    summary.cycles++;
    summary.last = r;
    opts.onCycle?.(r);
    log(opts.signal?.aborted && r.error ? 'check interrupted by stop' : summarize(r));
    if (r.report && opts.afterCheck && !opts.signal?.aborted) await opts.afterCheck(r.report);
  };
  if (opts.once) {
    await cycle();
    if (summary.last?.error) throw summary.last.cause;
    return summary;
  }
  if (!opts.cron) throw new InputError('watch needs --cron EXPR (or --once)', { key: 'cron' });
  if (opts.signal?.aborted) return summary;
  let inFlight: Promise<void> | null = null;
  // The start-up run is not one of croner's, so `protect` alone would not keep it from overlapping a tick.
  const guarded = async (): Promise<void> => {
    if (opts.signal?.aborted || inFlight) return;
    inFlight = cycle().catch((err) => log(`watch cycle failed: ${errorMessage(err)}`));
    await inFlight;
    inFlight = null;
  };
  let job: Cron;
  try {
    job = new Cron(opts.cron, { protect: true, ...(opts.timezone ? { timezone: opts.timezone } : {}) }, guarded);
  } catch (err) {
    const msg = `--cron "${opts.cron}" is not a valid cron pattern: ${errorMessage(err)}`;
    throw new InputError(msg, { key: 'cron' }, { cause: err });
  }
  log(`watching on "${opts.cron}", next check ${job.nextRun()?.toISOString() ?? 'never'}`);
  if (opts.runOnStart ?? true) void guarded();
  await new Promise<void>((resolve) => {
    if (opts.signal?.aborted) return resolve();
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  job.stop();
  if (inFlight) await inFlight;
  log('watch stopped');
  return summary;
}
