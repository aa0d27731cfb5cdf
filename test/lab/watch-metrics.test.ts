// `watch --metrics` against the lab's registries and hosts, scraped by promtool and by a real Prometheus
// (Debian's package), whose answers must agree with `check --json` and `history --json`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { openConnection } from '../../src/db/connection.js';
import { ensureHistoryTable, HISTORY_DB, recordEnd, recordStart } from '../../src/rollout/history.js';
import { cli, freshCluster, labConfig, LAB_ENV, LAB_INVENTORY } from '../support/lab.js';
import { promtoolCheck, samples } from '../support/prometheus.js';
import { startWatch, waitForCheck } from '../support/watch-process.js';

interface CheckDoc {
  images: { image: string; newest: string }[];
  hosts: { name: string; role: string; image: string; running: string; verdict: string }[];
}
interface HistoryDoc {
  history: { runId: string; kind: string; outcome: string; from: string | null; to: string; started: string; finished: string }[];
}
interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

const dir = mkdtempSync(join(tmpdir(), 'td-watch-metrics-lab-'));

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Asks until `ready` returns a value: Prometheus starting up, then its first scrape, then its first sample. */
async function until<T>(what: string, ask: () => Promise<T | null>, deadlineMs = 60_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const got = await ask().catch(() => null);
    if (got !== null) return got;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${deadlineMs / 1000} s`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

describe('watch --metrics on the lab', () => {
  const runId = `metrics-test-${process.pid}`;
  let db: Connection;
  before(async () => {
    const s = JSON.parse((await cli(['--json', 'status'])).stdout) as { healthy: boolean };
    if (!s.healthy) await freshCluster('v3.0.14');
    // The newest upgrade in the history, written by the rollout's own recorder; removed again after the test.
    const config = labConfig();
    db = await openConnection(config.mysql, { values: 'native' });
    await ensureHistoryTable(db);
    await recordStart(db, { runId, kind: 'upgrade', project: config.project, from: 'v3.0.14', to: 'v3.0.16' });
    await recordEnd(db, runId, 'failed', 'recorded by the watch-metrics test', []);
  });
  after(async () => {
    await db?.query(`DELETE FROM ${HISTORY_DB}.t_history WHERE run_id = ?`, [runId]);
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('promtool passes the scrape; Prometheus scrapes it and its answers match check --json and history', async () => {
    const check = JSON.parse((await cli(['--json', 'check'])).stdout) as CheckDoc;
    const history = JSON.parse((await cli(['--json', 'history'])).stdout) as HistoryDoc;
    const lastUpgrade = history.history.find((r) => r.kind === 'upgrade')!;
    assert.equal(lastUpgrade.runId, runId);
    const framework = check.images.find((i) => i.image.endsWith('/tarscloud/framework'))!;

    const watch = await startWatch([
      '--env-file', LAB_ENV, '--inventory', LAB_INVENTORY,
      'watch', '--cron', '0 0 1 1 *', '--state', join(dir, 'state.json'), '--metrics', '127.0.0.1:0',
    ]);
    let prometheus: ReturnType<typeof spawn> | null = null;
    let promLog = '';
    try {
      const { code, health } = await waitForCheck(watch.url);
      assert.equal(code, 200, JSON.stringify(health));
      assert.equal(health.status, 'ok');

      const text = await (await fetch(`${watch.url}/metrics`)).text();
      const lint = await promtoolCheck(text);
      assert.equal(lint.code, 0, `promtool: ${lint.output}`);
      assert.equal(samples(text, 'tars_docker_host_version_info').length, check.hosts.length);
      assert.ok(samples(text, 'tars_docker_registry_requests_total', { status: '200' }).length > 0);

      const port = await freePort();
      const promConfig = join(dir, 'prometheus.yml');
      writeFileSync(promConfig, [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        '  - job_name: tars-docker-watch',
        `    static_configs: [{ targets: ["${new URL(watch.url).host}"] }]`,
        '',
      ].join('\n'));
      const api = `http://127.0.0.1:${port}/api/v1`;
      prometheus = spawn('prometheus', [
        `--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`,
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      prometheus.stderr!.on('data', (c) => (promLog += c));

      const target = await until('a completed scrape', async () => {
        const doc = (await (await fetch(`${api}/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string; lastScrape: string }[] } };
        const t = doc.data.activeTargets[0];
        return t && t.health === 'up' && !t.lastScrape.startsWith('0001') ? t : null;
      });
      assert.equal(target.lastError, '');

      const query = (q: string): Promise<PromSeries[]> =>
        until(`a sample of ${q}`, async () => {
          const doc = (await (await fetch(`${api}/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: PromSeries[] } };
          return doc.data.result.length > 0 ? doc.data.result : null;
        });

      // Per tag the framework hosts run: 1 when check --json calls any of them behind (or moved), else 0.
      const expected = new Map<string, number>();
      for (const h of check.hosts.filter((x) => x.image === framework.image)) {
        const needed = h.verdict === 'behind' || h.verdict === 'moved' ? 1 : 0;
        expected.set(h.running, Math.max(needed, expected.get(h.running) ?? 0));
      }
      const update = await query(`tars_docker_update_available{image="${framework.image}"}`);
      assert.deepEqual(
        new Map(update.map((s) => [s.metric.current!, Number(s.value[1])])),
        expected,
        JSON.stringify(update),
      );
      assert.ok(update.every((s) => s.metric.newest === framework.newest));

      const versions = await query('tars_docker_host_version_info');
      assert.deepEqual(
        versions.map((s) => `${s.metric.host} ${s.metric.role} ${s.metric.version}`).sort(),
        check.hosts.map((h) => `${h.name} ${h.role} ${h.running}`).sort(),
      );

      const [info] = await query('tars_docker_last_rollout_info{kind="upgrade"}');
      assert.deepEqual(
        { outcome: info!.metric.outcome, from: info!.metric.from, to: info!.metric.to },
        { outcome: 'failed', from: 'v3.0.14', to: 'v3.0.16' },
      );
      const [duration] = await query('tars_docker_last_rollout_duration_seconds{kind="upgrade"}');
      const seconds = (Date.parse(lastUpgrade.finished) - Date.parse(lastUpgrade.started)) / 1000;
      assert.ok(Math.abs(Number(duration!.value[1]) - seconds) < 0.0015, `${duration!.value[1]} vs ${seconds}`);
    } finally {
      if (prometheus && prometheus.exitCode === null) {
        const exited = new Promise((ok) => prometheus!.once('close', ok));
        prometheus.kill('SIGTERM');
        await exited;
      }
      assert.equal(await watch.stop(), 0, `${watch.stderr()}\n${promLog.slice(-2000)}`);
    }
  });
});
