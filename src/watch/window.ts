import { Cron } from 'croner';
import { InputError } from '../errors.js';

/**
 * A maintenance window: `DAYS HH:MM+DURATION ZONE`, e.g. `Sat 02:00+2h Europe/Berlin`, `Mon-Fri 22:30+90m UTC`,
 * `Sat,Sun 01:00+4h30m Asia/Shanghai`, `daily 03:00+1h UTC`. The zone is required: a window in "the machine's
 * local time" moves when the watcher's container or host changes its TZ.
 */
export interface MaintenanceWindow {
  spec: string;
  /** Days of the week, 0 = Sunday. */
  days: number[];
  hour: number;
  minute: number;
  durationMs: number;
  timezone: string;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MAX_DURATION_MS = 7 * 24 * 3600_000;

export function parseWindow(spec: string): MaintenanceWindow {
  const bad = (why: string) => new InputError(`--window "${spec}": ${why}; e.g. 'Sat 02:00+2h Europe/Berlin'`, { key: 'window' });
  const parts = spec.trim().split(/\s+/);
  if (parts.length !== 3) throw bad(parts.length === 2 ? 'needs a time zone (an IANA name such as Europe/Berlin, or UTC)' : 'is not DAYS HH:MM+DURATION ZONE');
  const [daysText, timeText, timezone] = parts as [string, string, string];
  const days = parseDays(daysText);
  if (!days) throw bad(`"${daysText}" is not a day, a range (Mon-Fri), a list (Sat,Sun) or daily`);
  const m = /^([01]?\d|2[0-3]):([0-5]\d)\+((?:\d+d)?(?:\d+h)?(?:\d+m)?)$/.exec(timeText);
  if (!m || !m[3]) throw bad(`"${timeText}" is not HH:MM+DURATION (a duration such as 2h, 90m, 1h30m)`);
  const durationMs = durationOf(m[3]);
  if (durationMs < 60_000 || durationMs > MAX_DURATION_MS) throw bad('the duration must be 1m to 7d');
  if (!isTimeZone(timezone)) throw bad(`"${timezone}" is not a time zone (an IANA name such as Europe/Berlin, or UTC)`);
  return { spec: spec.trim(), days, hour: Number(m[1]), minute: Number(m[2]), durationMs, timezone };
}

function parseDays(text: string): number[] | null {
  const t = text.toLowerCase();
  if (t === 'daily' || t === '*') return [0, 1, 2, 3, 4, 5, 6];
  const out = new Set<number>();
  for (const item of t.split(',')) {
    const [a, b, extra] = item.split('-');
    const from = DAY_NAMES.indexOf(a ?? '');
    const to = b === undefined ? from : DAY_NAMES.indexOf(b);
    if (from < 0 || to < 0 || extra !== undefined) return null;
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out].sort();
}

function durationOf(text: string): number {
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
  return [...text.matchAll(/(\d+)([dhm])/g)].reduce((ms, [, n, u]) => ms + Number(n) * unit[u as keyof typeof unit], 0);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Where an instant stands relative to a window: inside until `closes`, or outside until `opens`. */
export type WindowState =
  | { inside: true; window: MaintenanceWindow; opened: Date; closes: Date; remainingMs: number }
  | { inside: false; window: MaintenanceWindow; opens: Date | null };

function starts(w: MaintenanceWindow): Cron {
  // croner resolves the wall-clock start in the zone, DST included; paused: it is only asked, never run.
  return new Cron(`${w.minute} ${w.hour} * * ${w.days.join(',')}`, { timezone: w.timezone, paused: true });
}

export function windowState(w: MaintenanceWindow, now: Date): WindowState {
  const cron = starts(w);
  // previousRuns excludes a start equal to its reference: a window opening this very millisecond is open.
  const opened = cron.previousRuns(1, new Date(now.getTime() + 1))[0];
  if (opened && now.getTime() < opened.getTime() + w.durationMs) {
    const closes = new Date(opened.getTime() + w.durationMs);
    return { inside: true, window: w, opened, closes, remainingMs: closes.getTime() - now.getTime() };
  }
  return { inside: false, window: w, opens: cron.nextRun(now) };
}

/** Of several windows: the open one that stays open longest, else the one that opens first. */
export function currentWindow(windows: MaintenanceWindow[], now: Date): WindowState {
  const states = windows.map((w) => windowState(w, now));
  const open = states.filter((s): s is Extract<WindowState, { inside: true }> => s.inside).sort((a, b) => b.remainingMs - a.remainingMs);
  if (open[0]) return open[0];
  const next = (s: WindowState) => (!s.inside && s.opens ? s.opens.getTime() : Infinity);
  return [...states].sort((a, b) => next(a) - next(b))[0]!;
}
