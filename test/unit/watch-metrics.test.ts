// The watcher's metrics document, judged by Debian's promtool, and its HTTP server on a real loopback port.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { HistoryRow } from '../../src/rollout/history.js';
import type { CheckReport } from '../../src/versions/check-report.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { parseMetricsAddress, startMetricsServer } from '../../src/watch/metrics-server.js';
import type { CycleResult } from '../../src/watch/run-watch.js';
import { promtoolCheck, samples } from '../support/prometheus.js';

const FW = '10.0.0.1:5000/tarscloud/framework';
const report: CheckReport = {
  updateAvailable: true,
  images: [{ image: FW, newest: 'v3.0.17', digest: 'sha256:aa', tags: 5, versionTags: 5, moving: [] }],
  hosts: [
    { name: 'm1', role: 'master', image: FW, running: 'v3.0.14', digest: null, newest: 'v3.0.17', verdict: 'behind', reason: '' },
    { name: 's1', role: 'slave', image: FW, running: 'v3.0.17', digest: null, newest: 'v3.0.17', verdict: 'up-to-date', reason: '' },
    { name: 's2', role: 'slave', image: FW, running: 'v3.0.14', digest: null, newest: 'v3.0.17', verdict: 'up-to-date', reason: '' },
    { name: 'n1', role: 'node', image: null, running: null, digest: null, newest: null, verdict: 'unknown', reason: 'unreachable' },
  ],
};
const ok = (r: CheckReport): CycleResult => ({ report: r, facts: [], sent: [], failed: [] });
const failed: CycleResult = { report: null, error: 'registry 10.0.0.1:5000: unreachable', facts: [], sent: [], failed: [] };

const upgrade = (over: Partial<HistoryRow>): HistoryRow => ({
  runId: 'r', kind: 'upgrade', project: 'tars', operator: 'op', started: new Date('2026-01-01T00:00:00Z'),
  finished: new Date('2026-01-01T00:01:30Z'), from: 'v3.0.14', to: 'v3.0.16', outcome: 'succeeded', message: null, hosts: [], ...over,
});

describe('watch metrics document', () => {
  it('passes promtool and carries the check, the registry requests and the history', async () => {
    const rows = [
      upgrade({ kind: 'rollback', outcome: 'failed', from: 'v3.0.16', to: 'v3.0.14' }),
      upgrade({ to: 'v3.0.16' }),
      upgrade({ to: 'v3.0.15', outcome: 'failed' }),
    ];
    const m = new WatchMetrics(async () => rows, () => {});
    m.observeRequest({ registry: 'docker.io', status: 200, rateLimit: { registry: 'docker.io', limit: 100, remaining: 76 } });
    m.observeRequest({ registry: 'docker.io', status: 200, rateLimit: null });
    m.observeRequest({ registry: '10.0.0.1:5000', status: 404, rateLimit: null });
    m.observeRequest({ registry: '10.0.0.1:5000', status: null, rateLimit: null });
    m.recordCycle(ok(report), new Date('2026-02-01T00:00:00Z'));
    m.recordCycle(failed);
    const text = await m.render();

    const lint = await promtoolCheck(text);
    assert.equal(lint.code, 0, `promtool: ${lint.output}\n${text}`);
    assert.equal(lint.output.trim(), '');

    const one = (name: string, labels: Record<string, string> = {}) => {
      const found = samples(text, name, labels);
      assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)} in\n${text}`);
      return found[0]!.value;
    };
    assert.equal(one('tars_docker_watch_checks_total'), 2);
    assert.equal(one('tars_docker_watch_check_errors_total'), 1);
    assert.equal(one('tars_docker_watch_last_success_timestamp_seconds'), Date.parse('2026-02-01T00:00:00Z') / 1000);
    // m1 is behind and s2 is not (a digest-pinned tag, say): one series per image:tag, 1 when any host needs it.
    assert.equal(one('tars_docker_update_available', { image: FW, current: 'v3.0.14', newest: 'v3.0.17' }), 1);
    assert.equal(one('tars_docker_update_available', { image: FW, current: 'v3.0.17', newest: 'v3.0.17' }), 0);
    assert.equal(samples(text, 'tars_docker_update_available').length, 2, 'the unreadable host has no image series');
    assert.equal(one('tars_docker_host_version_info', { host: 'm1', role: 'master', version: 'v3.0.14' }), 1);
    assert.equal(one('tars_docker_host_version_info', { host: 'n1', role: 'node' }), 1);
    assert.equal(one('tars_docker_registry_requests_total', { registry: 'docker.io', status: '200' }), 2);
    assert.equal(one('tars_docker_registry_requests_total', { registry: '10.0.0.1:5000', status: '404' }), 1);
    assert.equal(one('tars_docker_registry_requests_total', { registry: '10.0.0.1:5000', status: 'error' }), 1);
    assert.equal(one('tars_docker_registry_ratelimit_remaining', { registry: 'docker.io' }), 76);
    assert.equal(samples(text, 'tars_docker_registry_ratelimit_remaining').length, 1, 'only registries that sent the header');
    assert.equal(one('tars_docker_last_rollout_info', { kind: 'upgrade', outcome: 'succeeded', from: 'v3.0.14', to: 'v3.0.16' }), 1);
    assert.equal(one('tars_docker_last_rollout_info', { kind: 'rollback', outcome: 'failed' }), 1);
    assert.equal(samples(text, 'tars_docker_last_rollout_info').length, 2, 'the newest run per kind only');
    assert.equal(one('tars_docker_last_rollout_duration_seconds', { kind: 'upgrade' }), 90);
    assert.equal(one('tars_docker_last_rollout_end_timestamp_seconds', { kind: 'upgrade' }), Date.parse('2026-01-01T00:01:30Z') / 1000);
  });

  it('a later check replaces the series, a failed one keeps them; an unreadable history keeps its values', async () => {
    let history: () => Promise<HistoryRow[]> = async () => [upgrade({ finished: null, outcome: 'running' })];
    const lines: string[] = [];
    const m = new WatchMetrics(() => history(), (l) => lines.push(l));
    m.recordCycle(ok(report));
    const upToDate: CheckReport = { ...report, hosts: report.hosts.map((h) => (h.running ? { ...h, running: 'v3.0.17', verdict: 'up-to-date' } : h)) };
    m.recordCycle(ok(upToDate));
    m.recordCycle(failed);
    let text = await m.render();
    assert.deepEqual(samples(text, 'tars_docker_update_available').map((s) => [s.labels.current, s.value]), [['v3.0.17', 0]]);
    assert.equal(samples(text, 'tars_docker_last_rollout_info', { outcome: 'running' }).length, 1);
    assert.equal(samples(text, 'tars_docker_last_rollout_duration_seconds').length, 0, 'a run in progress has no duration yet');

    history = async () => Promise.reject(new Error('mysql 10.0.0.1:3306: cannot connect (ECONNREFUSED)'));
    await m.render();
    text = await m.render();
    assert.equal(samples(text, 'tars_docker_history_read_errors_total')[0]?.value, 2);
    assert.equal(samples(text, 'tars_docker_last_rollout_info', { outcome: 'running' }).length, 1, 'last known values stay');
    assert.deepEqual(lines, ['metrics: cannot read the upgrade history: mysql 10.0.0.1:3306: cannot connect (ECONNREFUSED)'], 'logged once per outage');
  });
});

describe('--metrics address', () => {
  it('takes HOST:PORT and [IPv6]:PORT', () => {
    assert.deepEqual(parseMetricsAddress('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseMetricsAddress('[::1]:9464'), { host: '::1', port: 9464 });
    assert.deepEqual(parseMetricsAddress('localhost:0'), { host: 'localhost', port: 0 });
  });
  for (const bad of ['9464', '127.0.0.1', '127.0.0.1:99999', '::1:9464', 'http://127.0.0.1:9464', '[10.0.0.1]:80', 'a b:1']) {
    it(`refuses "${bad}" with exit 2 naming the flag`, () => {
      assert.throws(() => parseMetricsAddress(bad), (e: Error & { exitCode?: number }) => {
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /^--metrics ".*" is not HOST:PORT/);
        return true;
      });
    });
  }
});

describe('metrics server', () => {
  it('serves /metrics and /healthz, 404 elsewhere; health follows the last check', async () => {
    const m = new WatchMetrics(async () => [], () => {});
    const server = await startMetricsServer(m, { host: '127.0.0.1', port: 0 });
    try {
      const health = async () => {
        const r = await fetch(`${server.url}/healthz`);
        return { status: r.status, body: (await r.json()) as { status: string; lastCheck: { ok: boolean; error?: string } | null; lastSuccess: string | null } };
      };
      assert.deepEqual(await health(), { status: 503, body: { status: 'starting', lastCheck: null, lastSuccess: null } });
      m.recordCycle(ok(report), new Date('2026-02-01T00:00:00Z'));
      assert.deepEqual(await health(), {
        status: 200,
        body: { status: 'ok', lastCheck: { at: '2026-02-01T00:00:00.000Z', ok: true }, lastSuccess: '2026-02-01T00:00:00.000Z' },
      });
      m.recordCycle(failed, new Date('2026-02-01T06:00:00Z'));
      const h = await health();
      assert.equal(h.status, 503);
      assert.deepEqual(h.body.lastCheck, { at: '2026-02-01T06:00:00.000Z', ok: false, error: failed.error });
      assert.equal(h.body.lastSuccess, '2026-02-01T00:00:00.000Z');

      const r = await fetch(`${server.url}/metrics`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await r.text(), /^tars_docker_watch_check_errors_total 1$/m);
      assert.equal((await fetch(`${server.url}/`)).status, 404);
      assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });

  it('a port in use is one line naming it, exit 2', async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const { port } = taken.address() as AddressInfo;
    try {
      await assert.rejects(startMetricsServer(new WatchMetrics(async () => [], () => {}), { host: '127.0.0.1', port }), (e: Error & { exitCode?: number }) => {
        assert.equal(e.exitCode, 2);
        assert.equal(e.message, `--metrics 127.0.0.1:${port}: port ${port} on 127.0.0.1 is already in use`);
        return true;
      });
    } finally {
      taken.close();
    }
  });
});
