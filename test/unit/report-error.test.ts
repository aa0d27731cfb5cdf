// A command that handed over part of its document before it failed still writes one document: the error joins it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setJsonResult } from '../../src/cli/output.js';
import { reportError } from '../../src/cli/report-error.js';
import { InputError, TarsDockerError } from '../../src/errors.js';
import { registerSecret } from '../../src/redact.js';

/** What reportError writes to stdout and stderr, and the code it returns. */
function capture(run: () => number): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  // Swapped only for the synchronous call below, so nothing of the test runner's own output lands here.
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    return { code: run(), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}

describe('reportError', () => {
  it('joins the error to the document a command handed over before it failed', () => {
    setJsonResult({ ok: false, databases: [{ live: 'db_tars_web' }] });
    const r = capture(() => reportError(new TarsDockerError('migration to v3.0.16 did not verify', 1, { step: 'verify' }), { json: true, verbose: false }));
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      ok: false,
      databases: [{ live: 'db_tars_web' }],
      error: { code: 1, message: 'migration to v3.0.16 did not verify', step: 'verify' },
    });
    assert.equal(r.stderr, 'tars-docker: migration to v3.0.16 did not verify\n');
  });

  it('without --json writes no document, and drops nothing on stderr', () => {
    const r = capture(() => reportError(new InputError('bad.yml: hosts is not a list', { file: 'bad.yml' }), { json: false, verbose: false }));
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'tars-docker: bad.yml: hosts is not a list\n' });
  });

  it('redacts a secret in the document and on stderr, also one JSON would escape', () => {
    registerSecret('se"cr\\et-42');
    setJsonResult({ note: 'connect with se"cr\\et-42' });
    const r = capture(() => reportError(new Error('driver said se"cr\\et-42\nsecond line'), { json: true, verbose: false }));
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), { note: 'connect with [REDACTED]', error: { code: 1, message: 'unexpected error: driver said [REDACTED]' } });
    assert.equal(r.stderr, 'tars-docker: unexpected error: driver said [REDACTED]\n');
  });
});
