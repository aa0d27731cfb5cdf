import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckReport } from '../../src/versions/check-report.js';
import { factsOf, nextDelivered, pendingFor, renderMessage } from '../../src/watch/announce.js';

const D = (c: string): string => `sha256:${c.repeat(64)}`;

function report(newest: string, latest: string, hostRunning = 'v3.0.14'): CheckReport {
  return {
    updateAvailable: true,
    images: [{ image: 'tarscloud/framework', newest, digest: D('1'), tags: 5, versionTags: 5, moving: [{ tag: 'latest', digest: latest }] }],
    hosts: [{ name: 'master', image: 'tarscloud/framework', running: hostRunning, digest: D('4'), newest, verdict: hostRunning === newest ? 'up-to-date' : 'behind', reason: `runs ${hostRunning}, newest is ${newest}` }],
  };
}

/** One run of the dedup logic as watch does it, with a notifier that succeeds unless told otherwise. */
function run(delivered: string[], r: CheckReport, ok = true): { delivered: string[]; sent: string[] } {
  const facts = factsOf(r);
  const p = pendingFor(delivered, facts);
  const sent = renderMessage(p.send).lines;
  const done = [...p.baseline, ...(ok ? p.send.map((f) => f.key) : [])];
  return { delivered: nextDelivered(delivered, facts, done), sent: p.send.length ? sent : [] };
}

test('first run announces version and drift, not the first digest of a moving tag', () => {
  const first = run([], report('v3.0.17', D('a')));
  assert.deepEqual(first.sent, [
    `tarscloud/framework: newest version is v3.0.17 (sha256:${'1'.repeat(12)})`,
    'host master: behind, runs v3.0.14, newest is v3.0.17',
  ]);
  const second = run(first.delivered, report('v3.0.17', D('a')));
  assert.deepEqual(second.sent, []);
  assert.deepEqual(second.delivered, first.delivered);
});

test('a new version is announced once more; a moved tag once, naming the old digest', () => {
  let s = run([], report('v3.0.17', D('a'))).delivered;
  const newer = run(s, report('v3.0.18', D('a')));
  assert.equal(newer.sent.length, 2);
  assert.match(newer.sent[0]!, /newest version is v3\.0\.18/);
  s = newer.delivered;
  const moved = run(s, report('v3.0.18', D('b')));
  assert.deepEqual(moved.sent, [`tarscloud/framework:latest now points at sha256:${'b'.repeat(12)} (was sha256:${'a'.repeat(12)})`]);
  assert.deepEqual(run(moved.delivered, report('v3.0.18', D('b'))).sent, []);
});

test('a failed delivery is retried, including a tag move', () => {
  const s = run([], report('v3.0.17', D('a'))).delivered;
  const failed = run(s, report('v3.0.17', D('b')), false);
  assert.equal(failed.sent.length, 1);
  const retried = run(failed.delivered, report('v3.0.17', D('b')));
  assert.equal(retried.sent.length, 1);
  assert.match(retried.sent[0]!, /was sha256:a{12}/);
});

test('a drift that went away and comes back is news again', () => {
  const s = run([], report('v3.0.17', D('a'))).delivered;
  const fixed = run(s, report('v3.0.17', D('a'), 'v3.0.17'));
  assert.deepEqual(fixed.sent, []);
  const again = run(fixed.delivered, report('v3.0.17', D('a')));
  assert.deepEqual(again.sent, ['host master: behind, runs v3.0.14, newest is v3.0.17']);
});

test('message text', () => {
  const m = renderMessage(factsOf(report('v3.0.17', D('a'))));
  assert.equal(m.title, 'tars-docker: update available');
  assert.ok(m.text.startsWith('tars-docker: update available\n- tarscloud/framework: newest version is v3.0.17'));
});
