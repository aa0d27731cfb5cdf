// Issue 6, "Done when": bad input makes `upgrade` exit non-zero with one line, before any container is touched.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { LAB_GOOD_VERSIONS } from '../../src/lab/images.js';
import { cli, freshCluster, LAB_ENV, LAB_INVENTORY, labConfig, snapshotContainers } from '../support/lab.js';
import { JOURNAL, status } from '../support/rollout.js';

/** A TCP port on the MySQL host's address that nothing listens on. */
function closedPort(host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

function journalSize(): number {
  try {
    return readFileSync(JOURNAL).length;
  } catch {
    return 0;
  }
}

describe('upgrade refuses bad input before touching anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-upgrade-input-'));
  let running = '';
  let containers: Awaited<ReturnType<typeof snapshotContainers>>;

  before(async () => {
    const s = await status();
    running = s.hosts[0]!.version ?? '';
    // a downgrade needs a good version below the running one
    if (!s.healthy || LAB_GOOD_VERSIONS.indexOf(running) < 1) {
      await freshCluster(LAB_GOOD_VERSIONS[2]!);
      running = LAB_GOOD_VERSIONS[2]!;
    }
    containers = await snapshotContainers();
  });

  /** Runs the CLI; asserts the exit code, exactly one stderr line matching `line`, and that no container changed. */
  async function refused(args: string[], code: number, line: RegExp, files: { envFile?: string; inventory?: string } = {}): Promise<void> {
    const journal = journalSize();
    const t0 = Date.now();
    const r = await cli(args, files);
    assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
    assert.match(lines[0]!, line);
    assert.ok(Date.now() - t0 < 30_000, `refused in ${Date.now() - t0} ms`);
    assert.deepEqual(await snapshotContainers(), containers, 'no container was touched');
    assert.equal(journalSize(), journal, 'no run was journaled');
  }

  it('a version the registry does not have (v9.9.9)', async () => {
    await refused(['upgrade', '--to', 'v9.9.9', '--yes'], 2, /^tars-docker: \S+\/tarscloud\/framework:v9\.9\.9 does not exist in the registry/);
  });

  it('a malformed version (banana)', async () => {
    await refused(['upgrade', '--to', 'banana', '--yes'], 2, /^tars-docker: --to "banana" is not a version/);
  });

  it('a downgrade without --allow-downgrade', async () => {
    const older = LAB_GOOD_VERSIONS[LAB_GOOD_VERSIONS.indexOf(running) - 1]!;
    await refused(['upgrade', '--to', older, '--yes'], 2, new RegExp(`^tars-docker: ${older} is older than the running ${running}: a downgrade needs --allow-downgrade$`));
  });

  it('an unreachable host', async () => {
    const inventory = join(dir, 'tars-docker.yml');
    const h4 = labConfig().hosts[3]!;
    const text = readFileSync(LAB_INVENTORY, 'utf8');
    assert.ok(text.includes(h4.docker.url));
    writeFileSync(inventory, text.replace(h4.docker.url, `unix://${dir}/dead.sock`));
    await refused(['upgrade', '--to', 'v3.0.16', '--yes'], 1, new RegExp(`^tars-docker: ${h4.name}: cannot reach Docker at unix://${dir}/dead\\.sock`), { inventory });
  });

  it('MySQL down', async () => {
    const port = await closedPort(labConfig().mysql.host);
    const envFile = join(dir, '.env');
    writeFileSync(envFile, readFileSync(LAB_ENV, 'utf8').replace(/^MYSQL_PORT=.*$/m, `MYSQL_PORT=${port}`));
    await refused(['upgrade', '--to', 'v3.0.16', '--yes'], 1, new RegExp(`^tars-docker: mysql \\S+:${port}: cannot connect`), { envFile });
  });
});
