import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectGuardInputs, fixRebuild, runGuard, type CollectOptions } from '../../src/guard/index.js';

const dir = mkdtempSync(join(tmpdir(), 'td-guard-fix-'));
function write(name: string, text: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, text, { mode });
  return p;
}

function guardAndFix(opts: Partial<CollectOptions>) {
  const report = runGuard(collectGuardInputs({ composeFiles: [], shellEnv: {}, containers: [], ...opts }));
  return { report, result: fixRebuild(report) };
}

/** The expected file: the original with exactly one substring replaced on one line. */
function replacedOnLine(text: string, line: number, from: string, to: string): string {
  const lines = text.split('\n');
  assert.ok(lines[line - 1]!.includes(from));
  lines[line - 1] = lines[line - 1]!.replace(from, to);
  return lines.join('\n');
}

describe('guard --fix', () => {
  it('rewrites only the value in an env file, keeping quotes, comments, CRLF and mode', () => {
    const text = '# prod\r\nMYSQL_HOST=10.0.0.5\r\nexport REBUILD="true"   # dangerous\r\nMYSQL_ROOT_PASSWORD=\'p w\'\r\n';
    const file = write('a.env', text, 0o640);
    const { result } = guardAndFix({ envFile: file });
    assert.deepEqual(result.changed.map((c) => [c.file, c.line, c.after]), [[file, 3, 'export REBUILD="false"   # dangerous']]);
    assert.deepEqual(readFileSync(file), Buffer.from(replacedOnLine(text, 3, '"true"', '"false"')));
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('fixes an unquoted env value and every bad line of one file in one write', () => {
    const text = 'REBUILD=TRUE\nA=1\nREBUILD=1 # again\n';
    const file = write('b.env', text);
    const { result } = guardAndFix({ envFile: file });
    assert.deepEqual(result.changed.map((c) => c.line), [1, 3]);
    assert.equal(readFileSync(file, 'utf8'), 'REBUILD=false\nA=1\nREBUILD=false # again\n');
  });

  it('rewrites a compose map value and a list item, keeping the quote style and every other byte', () => {
    const text = [
      '# framework  ',
      'services:',
      '  framework:',
      '    image: "${FRAMEWORK_IMAGE}:${FRAMEWORK_TAG}"   # pinned',
      '    environment:',
      "      REBUILD: 'TRUE'  # was set for the first install",
      '      SLAVE: "false"',
      '  other-framework:',
      '    image: tarscloud/framework:v3.0.20',
      '    environment:',
      '      - "REBUILD=true"',
      '      - INET=eth0',
      '',
    ].join('\n');
    const file = write('compose.yml', text);
    const { result } = guardAndFix({ composeFiles: [file] });
    assert.deepEqual(result.changed.map((c) => c.line), [6, 11]);
    const expected = replacedOnLine(replacedOnLine(text, 6, "'TRUE'", "'false'"), 11, 'REBUILD=true', 'REBUILD=false');
    assert.deepEqual(readFileSync(file), Buffer.from(expected));
  });

  it('replaces a ${REBUILD:-true} default with false, and leaves non-ASCII bytes alone', () => {
    const text = 'services:\n  framework:\n    image: tars-framework # 框架\n    environment:\n      REBUILD: ${REBUILD:-true}\n';
    const file = write('default.yml', text);
    guardAndFix({ composeFiles: [file] });
    assert.deepEqual(readFileSync(file), Buffer.from(text.replace('${REBUILD:-true}', 'false')));
  });

  it('follows anchors and merge keys to the line where the value is written', () => {
    const text = [
      'x-env: &env',
      '  REBUILD: &rb "true"',
      'services:',
      '  framework:',
      '    image: tarscloud/framework:v3.0.20',
      '    environment:',
      '      <<: *env',
      '  framework-b:',
      '    image: tarscloud/framework:v3.0.20',
      '    environment: { REBUILD: *rb }',
      '',
    ].join('\n');
    const file = write('anchors.yml', text);
    const { report, result } = guardAndFix({ composeFiles: [file] });
    assert.deepEqual(report.findings.map((f) => [f.id, f.source.line]), [['rebuild-true', 2]]);
    assert.deepEqual(result.changed.map((c) => c.after), ['REBUILD: &rb "false"']);
    assert.deepEqual(readFileSync(file), Buffer.from(text.replace('"true"', '"false"')));
  });

  it('rewrites an inventory override through a symlink, which stays a symlink', () => {
    const text = 'hosts:\n  - name: h1\n    role: master\n    address: 10.0.0.11\n    env:\n      REBUILD: "yes"\n      DOMAIN: 10.0.0.11\n';
    const real = write('real-inventory.yml', text);
    const link = join(dir, 'tars-docker.yml');
    symlinkSync(real, link);
    const { result } = guardAndFix({ inventoryFile: link });
    assert.deepEqual(result.changed.map((c) => c.line), [6]);
    assert.deepEqual(readFileSync(real), Buffer.from(text.replace('"yes"', '"false"')));
    assert.ok(readdirSync(dir).includes('tars-docker.yml'));
    assert.ok(statSync(link).isFile());
  });

  it('never touches containers: it lists them for recreation, and leaves the shell to the operator', () => {
    const { report, result } = guardAndFix({
      shellEnv: { REBUILD: 'true' },
      containers: [{ host: 'h1', role: 'master', container: 'tars-framework', env: ['REBUILD=true', 'SLAVE=false', 'INET=eth0'] }],
    });
    assert.deepEqual(result.changed, []);
    assert.deepEqual(result.recreate, [{ host: 'h1', container: 'tars-framework' }]);
    assert.deepEqual(result.manual.map((f) => f.source.kind), ['shell']);
    assert.equal(report.blocking, true);
  });

  it('leaves the guard clean of REBUILD after fixing every file', () => {
    const env = write('c.env', 'REBUILD=true\n');
    const compose = write('c.yml', 'services:\n  framework:\n    image: x/framework\n    environment:\n      REBUILD: "true"\n');
    const opts = { envFile: env, composeFiles: [compose] };
    guardAndFix(opts);
    const again = runGuard(collectGuardInputs({ shellEnv: {}, containers: [], ...opts }));
    assert.deepEqual(again.findings.filter((f) => f.id.startsWith('rebuild-')), []);
  });

  it('skips a line that no longer holds the finding instead of editing a wrong one', () => {
    const file = write('d.env', 'REBUILD=true\n');
    const report = runGuard(collectGuardInputs({ envFile: file, composeFiles: [], shellEnv: {}, containers: [] }));
    writeFileSync(file, '# moved\nREBUILD=true\n');
    const result = fixRebuild(report);
    assert.deepEqual(result.changed, []);
    assert.equal(result.manual.length, 1);
    assert.equal(readFileSync(file, 'utf8'), '# moved\nREBUILD=true\n');
  });
});
