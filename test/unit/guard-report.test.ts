import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode, TarsDockerError } from '../../src/errors.js';
import { assertGuardClean, formatFindings, GuardError, type Finding, type GuardReport } from '../../src/guard/index.js';
import { registerSecret } from '../../src/redact.js';

const cwd = '/srv/tars';
const rebuild: Finding = {
  id: 'rebuild-true',
  severity: 'blocking',
  message: 'REBUILD=true would drop db_tars on every start of the master',
  source: { kind: 'compose', file: join(cwd, 'compose/framework.yml'), line: 12 },
  fix: 'set REBUILD to false on this line',
};
const container: Finding = {
  id: 'rebuild-true',
  severity: 'blocking',
  message: 'REBUILD=true would drop db_tars on every start of the master',
  source: { kind: 'container', host: 'h1', container: 'tars-framework' },
  fix: 'recreate it',
};
const warning: Finding = {
  id: 'password-file-readable',
  severity: 'warning',
  message: 'holds MYSQL_ROOT_PASSWORD and is readable by group or others (mode 0644)',
  source: { kind: 'env-file', file: '/etc/tars/.env', line: 3 },
  fix: 'chmod 600 /etc/tars/.env',
};
const report = (findings: Finding[]): GuardReport => ({ findings, blocking: findings.some((f) => f.severity === 'blocking') });

describe('guard: output for people', () => {
  it('prints one line per finding with severity, location, message and fix', () => {
    assert.deepEqual(formatFindings(report([rebuild, container, { ...warning, source: { kind: 'shell' } }, warning]), cwd), [
      'BLOCKING  compose/framework.yml:12  REBUILD=true would drop db_tars on every start of the master  → fix: set REBUILD to false on this line',
      'BLOCKING  host h1 container tars-framework  REBUILD=true would drop db_tars on every start of the master  → fix: recreate it',
      'WARNING   shell environment  holds MYSQL_ROOT_PASSWORD and is readable by group or others (mode 0644)  → fix: chmod 600 /etc/tars/.env',
      'WARNING   /etc/tars/.env:3  holds MYSQL_ROOT_PASSWORD and is readable by group or others (mode 0644)  → fix: chmod 600 /etc/tars/.env',
    ]);
  });

  it('masks a registered secret that slipped into a message', () => {
    registerSecret('leaky-pw-42');
    const [line] = formatFindings(report([{ ...warning, message: 'value leaky-pw-42' }]), cwd);
    assert.ok(!line!.includes('leaky-pw-42'));
  });
});

describe('guard: enforcement', () => {
  it('passes a report without blocking findings', () => {
    assert.doesNotThrow(() => assertGuardClean(report([warning])));
  });

  it('throws a GuardError with exit 3 naming the first blocking finding and the count', () => {
    const r = report([rebuild, container, warning]);
    assert.throws(
      () => assertGuardClean(r),
      (err: unknown) => {
        assert.ok(err instanceof GuardError && err instanceof TarsDockerError);
        assert.equal(err.exitCode, ExitCode.guardBlocked);
        assert.equal(err.report, r);
        assert.doesNotMatch(err.message, /\n/);
        assert.match(err.message, /framework\.yml:12: REBUILD=true would drop db_tars .*\(\+1 more blocking finding\)/);
        return true;
      },
    );
  });
});
