// The three version spaces of a framework host on the lab: the image tag names the host, TarsFramework's and
// TarsWeb's own versions (inside the image) are shown beside it, and only the tag is ever compared.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchWebVersion } from '../../src/cluster/web.js';
import { labFrameworkVersion, labWebVersion } from '../../src/lab/images.js';
import { cli, freshCluster, labConfig } from '../support/lab.js';

const VERSION = 'v3.0.16';
const FRAMEWORK = labFrameworkVersion(VERSION);
const WEB = labWebVersion(VERSION);

interface StatusHost {
  name: string;
  role: string;
  version: string | null;
  frameworkVersion: string | null;
  webVersion: string | null;
  tarsnodeVersion: string | null;
  healthy: boolean;
  problem?: string;
}

describe('versions on the lab', () => {
  before(async () => {
    // installed here, so every container runs the image the registry holds now
    await freshCluster(VERSION);
  });

  it(`status reads ${VERSION} (framework ${FRAMEWORK}, web ${WEB}) for framework hosts, the moving tag and its digest for nodes`, async () => {
    assert.deepEqual([FRAMEWORK, WEB], ['3.0.12', '3.0.12']);
    const r = await cli(['status']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.split('\n');
    for (const h of labConfig().hosts) {
      const line = lines.find((l) => l.startsWith(`${h.name} `)) ?? '';
      // a node's tarsnode comes from the master's get_tarsnode at its start: the master's TarsFramework version
      const want = h.role === 'node' ? new RegExp(` latest@sha256:\\w{12} \\(tarsnode ${FRAMEWORK}\\) `) : new RegExp(` ${VERSION} \\(framework ${FRAMEWORK}, web ${WEB}\\) `);
      assert.match(line, want, `${h.name}: ${line}`);
    }
  });

  it('status --json has version (the tag), frameworkVersion, webVersion and a node\'s tarsnodeVersion', async () => {
    const r = await cli(['--json', 'status']);
    assert.equal(r.code, 0, r.stderr);
    const hosts = (JSON.parse(r.stdout) as { hosts: StatusHost[] }).hosts;
    // a node runs the moving tag latest: named by its digest; its inner version is the tarsnode its row reports
    assert.deepEqual(
      hosts.map((h) => [h.role, h.version?.replace(/^latest@sha256:\w{12}$/, 'latest@DIGEST'), h.frameworkVersion, h.webVersion, h.tarsnodeVersion]),
      hosts.map((h) => (h.role === 'node' ? [h.role, 'latest@DIGEST', null, null, FRAMEWORK] : [h.role, VERSION, FRAMEWORK, WEB, null])),
    );
  });

  it('the downgrade guard compares image tags, not the framework version inside', async () => {
    // v3.0.14 is newer than TarsFramework 3.0.12 but older than the image tag v3.0.16
    const r = await cli(['upgrade', '--to', 'v3.0.14', '--dry-run']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /^tars-docker: v3\.0\.14 is older than the running v3\.0\.16: a downgrade needs --allow-downgrade$/m);
  });

  describe('/web_version', () => {
    let server: Server;
    let port = 0;
    before(async () => {
      // a TarsWeb before 2.4.16 answers with its version as a plain string
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('2.4.13'));
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((ok) => server.close(() => ok())));

    it("is read as JSON from the lab master's TarsWeb", async () => {
      const master = labConfig().hosts.find((h) => h.role === 'master')!;
      assert.deepEqual(await fetchWebVersion(master.address), { webVersion: WEB, frameworkVersion: FRAMEWORK });
    });

    it('is read as a plain string from an older TarsWeb', async () => {
      assert.deepEqual(await fetchWebVersion('127.0.0.1', { port }), { webVersion: '2.4.13' });
    });
  });
});
