// `watch --upgrade/--window` flags through the real CLI, without the lab: every mistake is exit 2 and one line,
// before any configuration is read or any host is asked.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'td-watch-window-cli-'));
const base = ['--env-file', join(dir, 'missing.env'), '--inventory', join(dir, 'missing.yml'), 'watch', '--once', '--state', join(dir, 'state.json')];

describe('watch --upgrade --window (CLI)', () => {
  const refused = async (args: string[], line: string) => {
    const r = await runCli([...base, ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim(), line);
  };
  it('--upgrade without --window', () =>
    refused(['--upgrade', 'patch'], "tars-docker: --upgrade needs --window (e.g. --window 'Sat 02:00+2h Europe/Berlin'): unattended upgrades run only inside one"));
  it('--window without --upgrade', () =>
    refused(['--window', 'Sat 02:00+2h UTC'], 'tars-docker: --window needs --upgrade patch|minor: a window says when to upgrade'));
  it('a window without a time zone', () =>
    refused(['--upgrade', 'minor', '--window', 'Sat 02:00+2h'],
      "tars-docker: --window \"Sat 02:00+2h\": needs a time zone (an IANA name such as Europe/Berlin, or UTC); e.g. 'Sat 02:00+2h Europe/Berlin'"));
  it('a policy that is not patch or minor', () =>
    refused(['--upgrade', 'major', '--window', 'Sat 02:00+2h UTC'], 'tars-docker: --upgrade must be patch or minor (got "major")'));
});
