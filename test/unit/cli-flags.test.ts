// Flags whose outcome needs no server, through the real CLI: what --help says a default is, and the confirmation
// a mutating command asks on a terminal when --yes is not given. The .env and inventory are temp files; the one
// Docker endpoint is a socket that does not exist and MySQL's port is 1, so reaching either would fail loudly.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { runOnTerminal } from '../support/terminal.js';
import { writeOfflineInventory } from '../support/offline-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'td-cli-flags-'));
const envFile = join(dir, '.env');
const inventory = writeOfflineInventory(dir, join(dir, 'tars-docker.yml'));
writeFileSync(envFile, 'MYSQL_HOST=127.0.0.1\nMYSQL_PORT=1\nMYSQL_ROOT_PASSWORD=x\nREBUILD=false\n', { mode: 0o600 });
const files = ['--env-file', envFile, '--inventory', inventory];

describe('flags without a server, through the CLI', () => {
  it('--help gives the --health-timeout default in seconds, the unit the flag takes', async () => {
    for (const command of [['upgrade'], ['rollback'], ['scale', 'add-host']]) {
      const r = await runCli([...command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      // commander wraps the description; the default follows it, possibly on the next line
      const text = r.stdout.replace(/\s+/g, ' ');
      assert.match(text, /--health-timeout <seconds> [^-]*\(1-86400\) \(default: 180\)/, `${command.join(' ')} --help:\n${r.stdout}`);
    }
  });

  it('on a terminal, without --yes, answering no cancels before anything is read or changed', async () => {
    const backups = join(dir, 'backups-no');
    const r = await runOnTerminal([...files, 'backup', 'restore', '20260101T000000Z-0000', '--backup-dir', backups], 'n\n');
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /restore backup 20260101T000000Z-0000\? \[y\/N\]/, 'the question was asked');
    assert.equal(r.stdout.trim().split('\n').at(-1), 'tars-docker: cancelled; nothing was changed');
    assert.doesNotMatch(r.stdout, /no backup/, 'the backup folder was never read');
  });

  it('on a terminal, answering yes goes on (here to the backup folder, which has no such backup)', async () => {
    const backups = join(dir, 'backups-yes');
    const r = await runOnTerminal([...files, 'backup', 'restore', '20260101T000000Z-0000', '--backup-dir', backups], 'y\n');
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /restore backup 20260101T000000Z-0000\? \[y\/N\]/);
    assert.equal(r.stdout.trim().split('\n').at(-1), `tars-docker: no backup 20260101T000000Z-0000 in ${backups}`);
    assert.deepEqual(readdirSync(dir).sort(), ['.env', 'tars-docker.yml'], 'nothing was written beside the config');
  });
});
