import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { InsertLines, STATEMENT_BYTES, countTuples } from '../../src/db/insert-lines.js';

describe('backup INSERT lines', () => {
  it('escape values so every statement is one line, and count back the rows', async () => {
    const rows = [
      [1, "it's (a) \\ test\n第二行", null],
      [2, Buffer.from([0, 40, 41, 39]), '2024-01-01 00:00:00'],
      [3, '😀),(', 1.5],
    ];
    const lines = new InsertLines('t');
    const out = await text(Readable.from(rows, { objectMode: true }).pipe(lines));
    assert.equal(out.split('\n').length, 2);
    assert.equal(out, "INSERT INTO `t` VALUES (1,'it\\'s (a) \\\\ test\\n第二行',NULL),(2,X'00282927','2024-01-01 00:00:00'),(3,'😀),(',1.5);\n");
    assert.equal(countTuples(out.trimEnd()), 3);
    assert.equal(lines.rows, 3);
    assert.equal(lines.bytes, Buffer.byteLength(out));
  });

  it('start a new statement when one grows past the size limit', async () => {
    const big = 'x'.repeat(STATEMENT_BYTES / 4);
    const out = await text(Readable.from([[big], [big], [big], [big], [big]], { objectMode: true }).pipe(new InsertLines('t')));
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines.map(countTuples).reduce((a, b) => a + b), 5);
  });
});
