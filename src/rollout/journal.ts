import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type JournalEventKind = 'run-start' | 'step-start' | 'step-done' | 'step-failed' | 'host-rolled-back' | 'run-interrupted' | 'run-end';

export interface JournalEvent {
  at: string;
  runId: string;
  event: JournalEventKind;
  step?: string;
  detail?: Record<string, unknown>;
}

/** The storage contract of the journal (umzug-style): append one event, read them all back. */
export interface JournalStore {
  append(e: Omit<JournalEvent, 'at'>): Promise<void>;
  read(): Promise<JournalEvent[]>;
}

/**
 * JSON lines, appended with one write each: a crash can only cut the last line, which `read` skips,
 * so a step counts as done only when its `step-done` line is whole.
 */
export function fileJournal(file: string): JournalStore {
  return {
    async append(e) {
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify({ at: new Date().toISOString(), ...e })}\n`, { mode: 0o600 });
    },
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      return text.split('\n').flatMap((line) => {
        try {
          return line ? [JSON.parse(line) as JournalEvent] : [];
        } catch {
          return [];
        }
      });
    },
  };
}

export interface UnfinishedRun {
  runId: string;
  to: string;
  /** The version the run started from (a resumed run's master may already be past it). */
  from: string | null;
  mode: string;
  done: Set<string>;
  /** What finished steps recorded (e.g. the backup id), for the steps after them. */
  details: Map<string, Record<string, unknown>>;
  /** Steps started but never done: a kill interrupted them (a migrate step then plans again when it runs). */
  started: Set<string>;
}

/**
 * Install and scale runs share the journal but are never resumed (a rerun finds the cluster installed, the host's
 * ports taken): one of them ending must not hide an upgrade or rollback that a kill left open before it.
 */
const resumable = (e: JournalEvent) => e.detail?.mode === undefined || e.detail.mode === 'upgrade' || e.detail.mode === 'rollback';

/** The last upgrade or rollback that never wrote `run-end` (tars-docker was killed), with the steps it finished. */
export function unfinishedRun(events: JournalEvent[]): UnfinishedRun | undefined {
  const starts = events.filter((e) => e.event === 'run-start' && resumable(e));
  const last = starts[starts.length - 1];
  if (!last) return undefined;
  const mine = events.filter((e) => e.runId === last.runId);
  if (mine.some((e) => e.event === 'run-end')) return undefined;
  return {
    runId: last.runId,
    to: String(last.detail?.to ?? ''),
    from: typeof last.detail?.from === 'string' ? last.detail.from : null,
    mode: String(last.detail?.mode ?? ''),
    done: new Set(mine.filter((e) => e.event === 'step-done' && e.step).map((e) => e.step!)),
    details: new Map(mine.filter((e) => e.event === 'step-done' && e.step && e.detail).map((e) => [e.step!, e.detail!])),
    started: startedNotDone(mine),
  };
}

function startedNotDone(events: JournalEvent[]): Set<string> {
  const started = new Set<string>();
  for (const e of events) {
    if (e.event === 'step-start' && e.step) started.add(e.step);
    if (e.event === 'step-done' && e.step) started.delete(e.step);
  }
  return started;
}
