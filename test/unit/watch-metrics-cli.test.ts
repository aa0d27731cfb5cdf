// `watch --metrics` through the real CLI, without the lab: the one Docker endpoint is a socket that does not
// exist, and the registry and MySQL are closed ports (nothing leaves the machine), so every check fails, and the
// metrics and /healthz must say so.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { promtoolCheck, samples } from '../support/prometheus.js';
import { startWatch, waitForCheck } from '../support/watch-process.js';
import { writeOfflineInventory } from '../support/offline-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'td-watch-metrics-'));
const envFile = join(dir, 'lab.env');
writeFileSync(envFile, 'MYSQL_HOST=127.0.0.1\nMYSQL_PORT=1\nMYSQL_ROOT_PASSWORD=not-shown-9\nREBUILD=false\nFRAMEWORK_IMAGE=127.0.0.1:2/tarscloud/framework\nNODE_IMAGE=127.0.0.1:2/tarscloud/tars-node\n', { mode: 0o600 });
const inventory = writeOfflineInventory(dir);
const base = ['--env-file', envFile, '--inventory', inventory, 'watch', '--state', join(dir, 'state.json')];
// Once a year: only the start-up check runs while the test looks.
const yearly = ['--cron', '0 0 1 1 *'];

describe('watch --metrics (CLI)', () => {
  it('--once --metrics is refused, exit 2', async () => {
    const r = await runCli([...base, '--once', '--metrics', '127.0.0.1:0']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), 'tars-docker: --metrics needs a long-running watch (--cron): --once exits before anything could scrape it');
  });

  it('a bad address is refused, exit 2', async () => {
    const r = await runCli([...base, ...yearly, '--metrics', '9464']);
    assert.equal(r.code, 2);
    assert.match(r.stderr.trim(), /^tars-docker: --metrics "9464" is not HOST:PORT \(e\.g\. 127\.0\.0\.1:9464/);
  });

  it('a port in use: exit 2 naming it, before any check', async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const { port } = taken.address() as AddressInfo;
    try {
      const r = await runCli([...base, ...yearly, '--metrics', `127.0.0.1:${port}`]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim(), `tars-docker: --metrics 127.0.0.1:${port}: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      taken.close();
    }
  });

  it('a failing check: /healthz 503 with the error, errors counted, promtool passes, SIGTERM exits 0', async () => {
    const watch = await startWatch([...base, ...yearly, '--metrics', '127.0.0.1:0']);
    try {
      const { code, health } = await waitForCheck(watch.url);
      assert.equal(code, 503);
      assert.equal(health.status, 'failing');
      assert.equal(health.lastCheck?.ok, false);
      assert.match(health.lastCheck?.error ?? '', /^registry 127\.0\.0\.1:2: unreachable: connection refused/);
      assert.equal(health.lastSuccess, null);

      const text = await (await fetch(`${watch.url}/metrics`)).text();
      const lint = await promtoolCheck(text);
      assert.equal(lint.code, 0, lint.output);
      assert.equal(samples(text, 'tars_docker_watch_checks_total')[0]?.value, 1);
      assert.equal(samples(text, 'tars_docker_watch_check_errors_total')[0]?.value, 1);
      assert.equal(samples(text, 'tars_docker_watch_last_success_timestamp_seconds')[0]?.value, 0);
      assert.ok((samples(text, 'tars_docker_registry_requests_total', { registry: '127.0.0.1:2', status: 'error' })[0]?.value ?? 0) >= 1);
      assert.equal(samples(text, 'tars_docker_history_read_errors_total')[0]?.value, 1, 'MySQL on a closed port');
    } finally {
      assert.equal(await watch.stop(), 0);
    }
    assert.match(watch.stderr(), /metrics: cannot read the upgrade history: .*127\.0\.0\.1:1/);
    assert.ok(!watch.stderr().includes('not-shown-9'));
  });
});
