import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.js';
import { watchClock } from '../../src/watch/clock.js';
import { lastRunSeconds } from '../../src/watch/unattended-run.js';
import { allowedTarget, decideUnattended, parseUpgradePolicy } from '../../src/watch/unattended.js';
import { currentWindow, parseWindow, windowState } from '../../src/watch/window.js';

const at = (iso: string) => new Date(iso);

describe('--window', () => {
  it('parses days, ranges, lists, time, duration and zone', () => {
    assert.deepEqual(parseWindow('Sat 02:00+2h Europe/Berlin'), { spec: 'Sat 02:00+2h Europe/Berlin', days: [6], hour: 2, minute: 0, durationMs: 7_200_000, timezone: 'Europe/Berlin' });
    assert.deepEqual(parseWindow('mon-fri 22:30+1h30m UTC').days, [1, 2, 3, 4, 5]);
    assert.deepEqual(parseWindow('Fri-Mon 23:00+90m UTC').days, [0, 1, 5, 6]);
    assert.deepEqual(parseWindow('Sat,Sun 01:00+1d Asia/Shanghai').days, [0, 6]);
    assert.deepEqual(parseWindow('daily 03:00+45m UTC').days, [0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a missing zone, a bad day, time, duration or zone, each with one line', () => {
    const refused = (spec: string, re: RegExp) => assert.throws(() => parseWindow(spec), (e: unknown) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'));
    refused('Sat 02:00+2h', /needs a time zone/);
    refused('Sam 02:00+2h UTC', /"Sam" is not a day/);
    refused('Sat 24:00+2h UTC', /"24:00\+2h" is not HH:MM\+DURATION/);
    refused('Sat 02:00 UTC', /is not HH:MM\+DURATION/);
    refused('Sat 02:00+0m UTC', /the duration must be 1m to 7d/);
    refused('Sat 02:00+8d UTC', /the duration must be 1m to 7d/);
    refused('Sat 02:00+2h Mars/Olympus', /"Mars\/Olympus" is not a time zone/);
  });

  it('is inside from the start, in the window\'s own zone, until its end', () => {
    const w = parseWindow('Sat 02:00+2h Europe/Berlin'); // 01:00-03:00 UTC in winter
    assert.equal(windowState(w, at('2026-12-05T00:59:59Z')).inside, false);
    const open = windowState(w, at('2026-12-05T01:00:00Z'));
    assert.ok(open.inside && open.remainingMs === 7_200_000 && open.closes.toISOString() === '2026-12-05T03:00:00.000Z');
    const later = windowState(w, at('2026-12-05T02:30:00Z'));
    assert.ok(later.inside && later.remainingMs === 30 * 60_000);
    const closed = windowState(w, at('2026-12-05T03:00:00Z'));
    assert.ok(!closed.inside && closed.opens?.toISOString() === '2026-12-12T01:00:00.000Z');
    // summer time: 02:00 in Berlin is 00:00 UTC
    assert.ok(windowState(w, at('2027-06-05T00:30:00Z')).inside);
  });

  it('a window past midnight, and the best of several windows', () => {
    const late = parseWindow('Fri 23:00+3h UTC');
    assert.ok(windowState(late, at('2026-12-05T01:30:00Z')).inside, 'Saturday 01:30 is inside Friday 23:00+3h');
    const both = [parseWindow('Sat 02:00+1h UTC'), parseWindow('Sat 01:00+4h UTC')];
    const s = currentWindow(both, at('2026-12-05T02:30:00Z'));
    assert.ok(s.inside && s.window.spec === 'Sat 01:00+4h UTC');
    const next = currentWindow([parseWindow('Sun 02:00+1h UTC'), parseWindow('Sat 06:00+1h UTC')], at('2026-12-05T03:00:00Z'));
    assert.ok(!next.inside && next.window.spec === 'Sat 06:00+1h UTC');
  });
});

describe('--upgrade policy', () => {
  const tags = ['v2.4.22', 'v3.0.6', 'v3.0.14', 'v3.0.16', 'v3.0.17-rc.1', 'v3.1.2', 'v4.0.0', 'latest'];
  it('patch stays on the minor, minor on the major; never down, never a major step', () => {
    assert.equal(allowedTarget('v3.0.14', tags, 'patch'), 'v3.0.16');
    assert.equal(allowedTarget('v3.0.14', tags, 'minor'), 'v3.1.2');
    assert.equal(allowedTarget('v3.1.2', tags, 'minor'), null);
    assert.equal(allowedTarget('v2.4.22', tags, 'minor'), null);
    assert.equal(allowedTarget('v3.0.16', tags, 'patch'), null);
    assert.equal(allowedTarget('v3.0.16', tags, 'patch', { pre: true }), 'v3.0.17-rc.1');
    assert.equal(allowedTarget('v3.0.6', tags, 'patch', { exclude: '3\\.0\\.16' }), 'v3.0.14');
    assert.equal(allowedTarget('latest', tags, 'patch'), null);
  });
  it('only patch and minor are policies', () => {
    assert.equal(parseUpgradePolicy('minor'), 'minor');
    assert.throws(() => parseUpgradePolicy('major'), /--upgrade must be patch or minor \(got "major"\)/);
  });
});

describe('the unattended decision', () => {
  const base = { windows: [parseWindow('Sat 02:00+2h UTC')], policy: 'patch' as const, current: 'v3.0.14', tags: ['v3.0.14', 'v3.0.16'], lastRunSeconds: 600 };
  it('starts inside the window when it can hold the last run', () => {
    const d = decideUnattended({ ...base, now: at('2026-12-05T02:30:00Z') });
    assert.deepEqual(d, { start: true, from: 'v3.0.14', to: 'v3.0.16', reason: 'inside Sat 02:00+2h UTC until 2026-12-05T04:00:00.000Z (90 min left; the last upgrade took 10 min)' });
  });
  it('refuses outside the window, saying when it opens', () => {
    const d = decideUnattended({ ...base, now: at('2026-12-05T05:00:00Z') });
    assert.deepEqual(d, { start: false, from: 'v3.0.14', to: 'v3.0.16', reason: 'v3.0.16 waits for the window: outside Sat 02:00+2h UTC, it opens 2026-12-12T02:00:00.000Z' });
  });
  it('refuses when the rest of the window is shorter than the last run', () => {
    const d = decideUnattended({ ...base, now: at('2026-12-05T03:55:00Z') });
    assert.equal(d.start, false);
    assert.equal(d.reason, 'v3.0.16 waits for the next window: Sat 02:00+2h UTC closes in 5 min (2026-12-05T04:00:00.000Z), the last upgrade took 10 min');
    assert.equal(decideUnattended({ ...base, lastRunSeconds: null, now: at('2026-12-05T03:55:00Z') }).start, true, 'no history: nothing to estimate from');
  });
  it('nothing to do: no allowed version, or no version tag running', () => {
    assert.match(decideUnattended({ ...base, current: 'v3.0.16', now: at('2026-12-05T02:30:00Z') }).reason, /^no version newer than v3\.0\.16 that --upgrade patch allows$/);
    assert.match(decideUnattended({ ...base, current: 'latest', now: at('2026-12-05T02:30:00Z') }).reason, /not a version tag/);
  });
  it('the estimate is the newest successful upgrade', () => {
    const row = (kind: string, outcome: string, s: number) => ({
      runId: 'r', kind, project: 'tars', operator: 'o', started: new Date(0), finished: new Date(s * 1000), from: null, to: 'v', outcome, message: null, hosts: [],
    });
    assert.equal(lastRunSeconds([row('rollback', 'succeeded', 5), row('upgrade', 'failed', 7), row('upgrade', 'succeeded', 42), row('upgrade', 'succeeded', 9)]), 42);
    assert.equal(lastRunSeconds([]), null);
  });
});

describe('the watcher\'s clock', () => {
  it('starts at TARS_DOCKER_TEST_NOW and runs on from there', () => {
    let real = 1_000;
    const clock = watchClock({ TARS_DOCKER_TEST_NOW: '2026-12-05T02:30:00Z' }, () => real);
    real += 1500;
    assert.equal(clock().toISOString(), '2026-12-05T02:30:01.500Z');
    assert.throws(() => watchClock({ TARS_DOCKER_TEST_NOW: 'Saturday' }), /is not an ISO 8601 instant/);
  });
});
