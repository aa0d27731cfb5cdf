// Issue 6, "Done when": bad input makes `upgrade` exit non-zero with one line, before any container is touched.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { LAB_BAD_VERSION, LAB_GOOD_VERSIONS } from '../../src/lab/images.js';
import { cli, freshCluster, LAB_ENV, LAB_INVENTORY, labConfig, labInventoryText, snapshotContainers } from '../support/lab.js';
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
    const r = await cli(args, files);
    assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
    assert.match(lines[0]!, line);
    assert.deepEqual(await snapshotContainers(), containers, 'no container was touched');
    assert.equal(journalSize(), journal, 'no run was journaled');
  }

  /** A dry run: exit 0, the plan's step ids, and containers, inventory and journal exactly as they were. */
  async function dryRun(args: string[]): Promise<string[]> {
    return (await dryRunDoc(args)).plan.steps.map((s) => s.id);
  }

  async function dryRunDoc(args: string[]): Promise<{ preflight: { check: string; detail: string }[]; plan: { steps: { id: string }[] } }> {
    const journal = journalSize();
    const inventory = readFileSync(LAB_INVENTORY, 'utf8');
    const r = await cli(['--json', ...args, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await snapshotContainers(), containers, 'no container was touched');
    assert.equal(readFileSync(LAB_INVENTORY, 'utf8'), inventory);
    assert.equal(journalSize(), journal, 'no run was journaled');
    return JSON.parse(r.stdout);
  }

  it('upgrade --dry-run prints the preflight and the whole plan, and changes nothing', async () => {
    // The newest tag is ahead of whatever good version runs (that it would never become healthy is no matter here).
    const doc = await dryRunDoc(['upgrade', '--to', LAB_BAD_VERSION]);
    const disk = doc.preflight.find((l) => l.check === 'disk');
    assert.ok(disk, JSON.stringify(doc.preflight));
    // free space is measured for the engines on unix sockets (h1, h4) and said to be unmeasurable for the others
    assert.match(disk.detail, /^h1 \d+ GiB free, h2 not measurable remotely, h3 not measurable remotely, h4 \d+ GiB free$/);
    const steps = doc.plan.steps.map((s) => s.id);
    for (const id of ['pull:h1', 'pull:h2', 'backup', 'restart:h1', 'restart:h2', 'restart:h3', 'restart:h4', 'verify', 'record']) assert.ok(steps.includes(id), `${id} in ${steps.join(', ')}`);
    // the nodes' tag did not move: they restart in place after the master, with nothing to pull
    assert.deepEqual(steps.filter((id) => id === 'pull:h3' || id === 'pull:h4'), [], steps.join(', '));
    assert.ok(steps.indexOf('backup') < steps.indexOf('restart:h1') && steps.indexOf('restart:h1') < steps.indexOf('restart:h2'), steps.join(', '));
  });

  it('rollback --dry-run and upgrade --allow-downgrade --dry-run plan the older version and change nothing', async () => {
    const older = LAB_GOOD_VERSIONS[LAB_GOOD_VERSIONS.indexOf(running) - 1]!;
    for (const args of [['rollback', '--to', older], ['upgrade', '--to', older, '--allow-downgrade']]) {
      const steps = await dryRun(args);
      assert.ok(['restart:h1', 'restart:h2', 'restart:h3', 'restart:h4'].every((id) => steps.includes(id)), `${args.join(' ')}: ${steps.join(', ')}`);
    }
  });

  it('upgrade without --yes and no terminal to ask on', async () => {
    // a target newer than whatever runs (the never-healthy release is the newest), so there is a plan to confirm
    await refused(['upgrade', '--to', LAB_BAD_VERSION], 2, /refusing without --yes \(not a terminal\)$/);
  });

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
    const text = labInventoryText();
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
