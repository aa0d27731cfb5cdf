// Issue 14 item 6: `watch --upgrade patch --window …` through the CLI on the lab, its clock put at chosen instants
// (TARS_DOCKER_TEST_NOW): outside the window it refuses and changes nothing; inside, with less time left than the
// last upgrade took, it refuses too; inside with time enough it runs the guarded upgrade to the newest patch
// version and notifies the outcome.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openConnection } from '../../src/db/connection.js';
import { ensureHistoryTable, HISTORY_DB } from '../../src/rollout/history.js';
import { cli, freshCluster } from '../support/lab.js';
import { stateChanges } from '../support/cluster-state.js';
import { fourHosts } from '../support/four-hosts.js';
import { clusterProblems, history } from '../support/rollout.js';

const dir = mkdtempSync(join(tmpdir(), 'td-watch-window-'));
const lab = fourHosts(dir);
const WINDOW = 'Sat 02:00+2h Europe/Berlin'; // 01:00-03:00 UTC in December

interface WatchDoc {
  upgrades: { decision: { start: boolean; from: string; to: string | null; reason: string }; run?: { runId: string; outcome: string; error?: string } }[];
}

describe('watch --upgrade patch --window on the lab', () => {
  const posts: { title?: string; text?: string }[] = [];
  let server: http.Server;
  let url = '';

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push(JSON.parse(body) as { title?: string });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const s = await lab.status();
    const at = s.hosts[0]!.version;
    // a patch upgrade must be open: the four hosts healthy on one v3.0 version below v3.0.16
    if (!s.healthy || !['v3.0.6', 'v3.0.14'].includes(at ?? '') || s.hosts.some((h) => h.version !== at)) {
      if (s.healthy && s.hosts.every((h) => h.version === 'v3.0.16')) {
        const back = await cli(['--yes', 'rollback', '--to', 'v3.0.14'], lab.files);
        assert.equal(back.code, 0, back.stderr);
      } else {
        await freshCluster('v3.0.14');
      }
    }
  });
  after(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  const watch = (now: string) =>
    cli(['--json', 'watch', '--once', '--upgrade', 'patch', '--window', WINDOW, '--exclude', '3\\.0\\.17', '--state', join(dir, 'state.json'), '--notify', url], {
      ...lab.files,
      env: { TARS_DOCKER_TEST_NOW: now },
    });

  it('outside the window: no run, nothing changed, the line says when it opens', async () => {
    const before = await lab.state();
    const newest = (await history())[0]?.runId;
    const r = await watch('2026-12-05T05:00:00Z');
    assert.equal(r.code, 0, r.stderr);
    const d = (JSON.parse(r.stdout) as WatchDoc).upgrades[0]!;
    assert.deepEqual(d.decision.start, false);
    assert.equal(d.decision.reason, `v3.0.16 waits for the window: outside ${WINDOW}, it opens 2026-12-12T01:00:00.000Z`);
    assert.ok(r.stderr.includes(`unattended upgrade: ${d.decision.reason}`), r.stderr);
    assert.deepEqual(stateChanges(before, await lab.state()), []);
    assert.equal((await history())[0]?.runId, newest, 'no run was recorded');
  });

  it('inside, but the rest of the window is shorter than the last upgrade took: no run', async () => {
    const db = await openConnection(lab.config().mysql, { values: 'native' });
    const runId = `window-test-${process.pid}`;
    try {
      await ensureHistoryTable(db);
      await db.query(
        `INSERT INTO ${HISTORY_DB}.t_history (run_id, kind, project, operator, started, finished, from_version, to_version, outcome)
         VALUES (?, 'upgrade', ?, 'watch-window test', NOW(3) - INTERVAL 30 MINUTE, NOW(3), 'v3.0.6', 'v3.0.14', 'succeeded')`,
        [runId, lab.config().project],
      );
      const before = await lab.state();
      const r = await watch('2026-12-05T02:50:00Z');
      assert.equal(r.code, 0, r.stderr);
      const d = (JSON.parse(r.stdout) as WatchDoc).upgrades[0]!;
      assert.equal(d.decision.start, false);
      assert.match(d.decision.reason, /^v3\.0\.16 waits for the next window: Sat 02:00\+2h Europe\/Berlin closes in 10 min \(2026-12-05T03:00:00\.000Z\), the last upgrade took 30 min$/);
      assert.deepEqual(stateChanges(before, await lab.state()), []);
    } finally {
      await db.query(`DELETE FROM ${HISTORY_DB}.t_history WHERE run_id = ?`, [runId]);
      await db.end();
    }
  });

  it('inside with time enough: the guarded upgrade to the newest patch version, and its outcome notified', async () => {
    const r = await watch('2026-12-05T01:10:00Z');
    assert.equal(r.code, 0, r.stderr);
    const u = (JSON.parse(r.stdout) as WatchDoc).upgrades[0]!;
    assert.equal(u.decision.start, true);
    assert.equal(u.decision.to, 'v3.0.16');
    assert.equal(u.run?.outcome, 'succeeded', u.run?.error);
    assert.deepEqual(clusterProblems(await lab.waitAt('v3.0.16'), 'v3.0.16'), []);
    const last = (await history())[0]!;
    assert.deepEqual([last.runId, last.kind, last.to, last.outcome], [u.run!.runId, 'upgrade', 'v3.0.16', 'succeeded']);
    const note = posts.find((p) => p.title === 'tars-docker: unattended upgrade to v3.0.16 succeeded');
    assert.ok(note, `notified: ${posts.map((p) => p.title).join(', ')}`);
    assert.match(note.text ?? '', new RegExp(`run ${u.run!.runId}`));
  });
});
