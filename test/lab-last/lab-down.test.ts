// Runs after every other lab test: takes the shared lab down and proves nothing of it is left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runBase } from '../../src/lab/paths.js';
import { cli, LAB_DIR } from '../support/lab.js';

function labProcesses(): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .flatMap((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return cmd.includes(LAB_DIR) || cmd.includes(runBase(LAB_DIR)) ? [`${p}: ${cmd.slice(0, 120)}`] : [];
      } catch {
        return [];
      }
    });
}

describe('lab down', () => {
  it('removes every process, namespace, link, mount and file of the lab, and is safe to repeat', async () => {
    const r = await cli(['lab', 'down', '--dir', LAB_DIR]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(labProcesses(), []);
    const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    assert.doesNotMatch(netns, /tdlab-/);
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    assert.doesNotMatch(links, /tdlab0|tdl-h\d/);
    const mounts = readFileSync('/proc/mounts', 'utf8');
    assert.ok(!mounts.includes(LAB_DIR) && !mounts.includes(`${runBase(LAB_DIR)}/`), 'no lab mount left');
    assert.equal(existsSync(LAB_DIR), false);
    const again = await cli(['lab', 'down', '--dir', LAB_DIR]);
    assert.equal(again.code, 0, again.stderr);
  });
});
