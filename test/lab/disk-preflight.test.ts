// The disk preflight refuses an upgrade before anything changes when a host's engine has less than 2 GiB free:
// one host of the inventory is swapped for a private dockerd whose data root is a 1 GiB tmpfs.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, labConfig, labInventoryText, snapshotContainers } from '../support/lab.js';
import { JOURNAL } from '../support/rollout.js';

const skip = process.getuid?.() !== 0 ? 'needs root' : spawnSync('sh', ['-c', 'command -v dockerd']).status !== 0 ? 'no dockerd' : false;

const journalSize = () => {
  try {
    return readFileSync(JOURNAL).length;
  } catch {
    return 0;
  }
};

describe('disk preflight', { skip }, () => {
  const dir = mkdtempSync('/tmp/td-disk-');
  const data = join(dir, 'data');
  const socket = join(dir, 'docker.sock');
  let dockerd: ChildProcess | undefined;
  let mounted = false;

  before(async () => {
    mkdirSync(data);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1024m', 'tmpfs', data], { encoding: 'utf8' });
    assert.equal(mount.status, 0, mount.stderr);
    mounted = true;
    dockerd = spawn('dockerd', ['--data-root', data, '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${socket}`,
      '--bridge=none', '--iptables=false', '--ip-masq=false', '--storage-driver=vfs'], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Ready when it says it listens on its socket.
    await new Promise<void>((ok, fail) => {
      let log = '';
      dockerd!.stderr!.on('data', (d: Buffer) => {
        log += String(d);
        if (log.includes(`API listen on ${socket}`)) ok();
      });
      dockerd!.once('exit', (code) => fail(new Error(`dockerd exited (${code}): ${log}`)));
    });
  });
  after(async () => {
    if (dockerd && dockerd.exitCode === null) {
      const exited = new Promise((ok) => dockerd!.once('exit', ok));
      dockerd.kill('SIGTERM');
      await exited;
    }
    if (mounted) spawnSync('umount', ['-l', data]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses with exit 1 naming the host, its data root and the 2 GiB it needs, and changes nothing', async () => {
    const h4 = labConfig().hosts[3]!;
    const text = labInventoryText();
    assert.ok(text.includes(h4.docker.url));
    const inventory = join(dir, 'tars-docker.yml');
    writeFileSync(inventory, text.replace(h4.docker.url, `unix://${socket}`));
    const before = await snapshotContainers();
    const journal = journalSize();
    for (const args of [['upgrade', '--to', 'v3.0.16', '--dry-run'], ['--yes', 'upgrade', '--to', 'v3.0.16']]) {
      const r = await cli(args, { inventory });
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, new RegExp(`^tars-docker: ${h4.name}: only [01]\\.\\d GiB free under ${data}, need 2 GiB for the new image$`));
    }
    assert.deepEqual(await snapshotContainers(), before);
    assert.equal(journalSize(), journal, 'no run was journaled');
  });
});
