import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvText } from '../../src/guard/env-text.js';
import { interpolate, type VarValue } from '../../src/guard/interpolate.js';

describe('guard: env file text', () => {
  it('keeps line numbers across comments, blank lines, export, quotes and multi-line values', () => {
    const text = [
      '\uFEFF# head',
      '',
      'A=plain value # note',
      'export B="quoted # not a comment"',
      "C='single'  # after",
      'D="line one',
      'line two"',
      'E=',
      '  F = spaced',
      'not an assignment',
      'G=x#y',
    ].join('\r\n');
    const got = parseEnvText(text).map(({ key, value, line }) => [key, value, line]);
    assert.deepEqual(got, [
      ['A', 'plain value', 3],
      ['B', 'quoted # not a comment', 4],
      ['C', 'single', 5],
      ['D', 'line one\r\nline two', 6],
      ['E', '', 8],
      ['F', 'spaced', 9],
      ['G', 'x#y', 11],
    ]);
  });

  it('gives the span of the value token, quotes included', () => {
    const text = 'REBUILD="true" # x\n';
    const [t] = parseEnvText(text);
    assert.equal(text.slice(t!.start, t!.end), '"true"');
    assert.equal(t!.quote, '"');
  });
});

describe('guard: compose interpolation', () => {
  const shell: VarValue['source'] = { kind: 'shell' };
  const envLine: VarValue['source'] = { kind: 'env-file', file: '.env', line: 2 };
  const vars = new Map<string, VarValue>([
    ['SET', { value: 'yes', source: envLine }],
    ['EMPTY', { value: '', source: shell }],
  ]);

  it('resolves the forms compose knows and says where a whole-value reference came from', () => {
    const cases: [string, string, VarValue['source'] | undefined][] = [
      ['${SET}', 'yes', envLine],
      ['$SET', 'yes', envLine],
      ['${UNSET}', '', undefined],
      ['${UNSET:-true}', 'true', undefined],
      ['${EMPTY:-true}', 'true', undefined],
      ['${EMPTY-true}', '', shell],
      ['${UNSET:-${SET}}', 'yes', envLine],
      ['${SET:+on}', 'on', undefined],
      ['${UNSET:?must be set}', '', undefined],
      ['x${SET}', 'xyes', undefined],
      ['$${SET}', '${SET}', undefined],
    ];
    for (const [raw, value, from] of cases) {
      const r = interpolate(raw, vars);
      assert.equal(r.value, value, raw);
      assert.deepEqual(r.from, from, raw);
    }
  });
});
