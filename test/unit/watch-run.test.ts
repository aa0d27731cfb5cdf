import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HostError, InputError } from '../../src/errors.js';
import type { CheckReport } from '../../src/versions/check-report.js';
import { createNotifier } from '../../src/watch/notifiers.js';
import { runWatch } from '../../src/watch/run-watch.js';

let dir: string;
let server: http.Server;
let url = '';
let posts = 0;
let status = 200;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tars-docker-watch-'));
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (status === 200) posts++;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

const report = (newest: string): CheckReport => ({
  updateAvailable: false,
  images: [{ image: 'tarscloud/framework', newest, digest: null, tags: 3, versionTags: 3, moving: [] }],
  hosts: [],
});

test('--once: unchanged report notifies once; a failing notifier is retried next run', async () => {
  const stateFile = join(dir, 'once.json');
  const lines: string[] = [];
  const opts = { once: true, stateFile, notifiers: [createNotifier(url)], log: (l: string) => lines.push(l), checkOnce: async () => report('v3.0.17') };
  posts = 0;
  await runWatch(opts);
  await runWatch(opts);
  assert.equal(posts, 1);
  status = 500;
  const failed = await runWatch({ ...opts, checkOnce: async () => report('v3.0.18') });
  assert.equal(failed.last?.failed.length, 1);
  assert.ok(lines.some((l) => /^notifier webhook 127\.0\.0\.1:\d+: HTTP 500; will retry on the next run$/.test(l)), lines.join('\n'));
  status = 200;
  await runWatch({ ...opts, checkOnce: async () => report('v3.0.18') });
  assert.equal(posts, 2);
});

test('--once rethrows a failed check with its exit code; nothing is announced', async () => {
  const err = new HostError('registry 10.0.0.9:5000', 'unreachable');
  await assert.rejects(
    runWatch({ once: true, stateFile: join(dir, 'x.json'), notifiers: [], log: () => {}, checkOnce: async () => Promise.reject(err) }),
    (e: unknown) => e === err,
  );
});

test('cron loop: runs on schedule, survives failing checks, stops on abort', async () => {
  const ac = new AbortController();
  let calls = 0;
  const lines: string[] = [];
  let thirdCheck!: () => void;
  const third = new Promise<void>((ok) => (thirdCheck = ok));
  const done = runWatch({
    cron: '* * * * * *',
    signal: ac.signal,
    stateFile: join(dir, 'loop.json'),
    notifiers: [],
    log: (l) => lines.push(l),
    checkOnce: async () => {
      calls++;
      if (calls === 3) thirdCheck();
      if (calls === 2) throw new Error('registry hiccup');
      return report('v3.0.17');
    },
  });
  // The schedule, not the test, decides when the checks run: wait for the third one, then stop.
  await third;
  ac.abort();
  const summary = await done;
  assert.equal(summary.cycles, calls, 'every check counted as a cycle');
  assert.ok(summary.cycles >= 3);
  assert.ok(lines.includes('check failed: registry hiccup'), lines.join('\n'));
  assert.equal(lines.filter((l) => l.includes('newest version is v3.0.17')).length, 1, 'log notifier announces once');
  assert.equal(lines.at(-1), 'watch stopped');
});

test('bad cron and missing cron are input errors', async () => {
  const base = { stateFile: join(dir, 'y.json'), notifiers: [], log: () => {}, checkOnce: async () => report('v1.0.0') };
  await assert.rejects(runWatch({ ...base, cron: 'every tuesday' }), InputError);
  await assert.rejects(runWatch(base), /needs --cron/);
});
