// Every failure under --json is one JSON document on stdout and the same one line on stderr, through the real CLI.
// No lab: the .env and inventory are temp files, and the one Docker endpoint is a socket that does not exist.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { writeOfflineInventory } from '../support/offline-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'td-json-errors-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
};
// A quote and a backslash: JSON escapes them, so redaction must happen before the escaping.
const password = 'pw"se\\cret-9';
const goodEnv = write('good.env', `MYSQL_HOST=127.0.0.1\nMYSQL_PORT=1\nMYSQL_ROOT_PASSWORD='${password}'\nREBUILD=false\n`);
const inventory = writeOfflineInventory(dir);

interface Case {
  name: string;
  args: string[];
  code: number;
  message: RegExp;
  fields?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'a missing inventory',
    args: ['--env-file', goodEnv, '--inventory', join(dir, 'missing.yml'), 'status'],
    code: 2,
    message: /missing\.yml: cannot read inventory \(ENOENT\)$/,
    fields: { file: join(dir, 'missing.yml') },
  },
  {
    name: 'a bad .env value',
    args: ['--env-file', write('bad-port.env', 'MYSQL_HOST=127.0.0.1\nMYSQL_PORT=port\n'), '--inventory', inventory, 'status'],
    code: 2,
    message: /bad-port\.env: MYSQL_PORT must be a port number/,
    fields: { file: join(dir, 'bad-port.env'), key: 'MYSQL_PORT' },
  },
  { name: 'an unknown flag', args: ['status', '--bogus'], code: 2, message: /^unknown option '--bogus'$/ },
  { name: 'a mistyped flag (commander adds a hint)', args: ['upgrade', '--bacth', '2'], code: 2, message: /^unknown option '--bacth' \(Did you mean --batch\?\)$/ },
  { name: 'a missing required option', args: ['install'], code: 2, message: /^required option '--version <tag>' not specified$/ },
  {
    name: 'an invalid --batch (checked before any file is read)',
    args: ['--env-file', join(dir, 'missing.env'), 'upgrade', '--to', 'v3.0.16', '--batch', '0'],
    code: 2,
    message: /^option '--batch <n>' argument '0' is invalid\. must be a whole number from 1 to 1000$/,
  },
  {
    name: 'an unreachable Docker host',
    args: ['--env-file', goodEnv, '--inventory', inventory, 'upgrade', '--to', 'v3.0.16', '--dry-run'],
    code: 1,
    message: /^h1: cannot reach Docker at unix:\/\/.*no-docker\.sock/,
    fields: { host: 'h1' },
  },
  {
    name: 'a secret inside the error (here: in a file name)',
    args: ['--env-file', goodEnv, '--inventory', join(dir, `${password}.yml`), 'status'],
    code: 2,
    message: /\[REDACTED\]\.yml: cannot read inventory/,
    fields: { file: join(dir, '[REDACTED].yml') },
  },
];

const stderrLines = (stderr: string) => stderr.trimEnd().split('\n');

describe('errors under --json', () => {
  for (const c of cases) {
    it(`${c.name}: one JSON document with code and message, one stderr line, exit ${c.code}`, async () => {
      const plain = await runCli(c.args);
      const json = await runCli(['--json', ...c.args]);

      assert.equal(plain.code, c.code, plain.stderr);
      assert.equal(plain.stdout, '');
      assert.equal(stderrLines(plain.stderr).length, 1, plain.stderr);

      assert.equal(json.code, c.code, json.stderr);
      assert.equal(json.stderr, plain.stderr, 'stderr is the same with --json');
      // JSON.parse of all of stdout fails on a second document or on any text around it.
      const doc = JSON.parse(json.stdout) as { error: Record<string, unknown> };
      assert.deepEqual(Object.keys(doc), ['error']);
      assert.equal(doc.error.code, c.code);
      assert.match(String(doc.error.message), c.message);
      assert.ok(stderrLines(json.stderr)[0]!.endsWith(String(doc.error.message)), 'stderr names the same problem');
      for (const [k, v] of Object.entries(c.fields ?? {})) assert.equal(doc.error[k], v, k);

      for (const out of [plain.stdout, plain.stderr, json.stdout, json.stderr]) {
        assert.ok(!out.includes(password) && !out.includes(JSON.stringify(password).slice(1, -1)), `secret leaked: ${out}`);
      }
    });
  }

  it('a subcommand group without its subcommand: one line naming the choices, the same in the document', async () => {
    const r = await runCli(['--json', 'scale']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'tars-docker: scale needs a subcommand: one of add-host, remove-host\n');
    assert.deepEqual(JSON.parse(r.stdout), { error: { code: 2, message: 'scale needs a subcommand: one of add-host, remove-host' } });
  });

  it('--help under --json is no error: usage on stdout, exit 0', async () => {
    const r = await runCli(['--json', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: tars-docker/);
    assert.equal(r.stderr, '');
  });
});
