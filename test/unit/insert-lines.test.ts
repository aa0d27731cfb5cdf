import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InsertLines, STATEMENT_BYTES, columnKind, countTuples } from '../../src/db/backup/insert-lines.js';
import { rowOf } from '../../src/db/backup/raw-rows.js';

const raw = (s: string) => Buffer.from(s, 'utf8');

/** Every statement the rows make, joined as the backup file holds them (uncompressed). */
function text(rows: (Buffer | null)[][], lines: InsertLines): string {
  const out = rows.map((r) => lines.add(rowOf(r)));
  out.push(lines.finish());
  return Buffer.concat(out.filter((c): c is Buffer => c !== null)).toString('utf8');
}

describe('backup INSERT lines', () => {
  it('escape the raw bytes so every statement is one line, keep UTF-8 intact, and count back the rows', () => {
    const kinds = [columnKind({ columnType: 0x03, characterSet: 63 }), columnKind({ columnType: 0xfd, characterSet: 45 }), columnKind({ columnType: 0xfc, characterSet: 63 }), columnKind({ columnType: 0x0c, characterSet: 63 })];
    assert.deepEqual(kinds, ['number', 'text', 'binary', 'text']);
    const rows = [
      [raw('1'), raw("it's (a) \\ test\n第二行"), null, raw('2024-01-01 00:00:00')],
      [raw('2'), raw('😀),('), Buffer.from([0, 40, 41, 39]), null],
    ];
    const lines = new InsertLines('t', kinds);
    const out = text(rows, lines);
    assert.equal(out.split('\n').length, 2);
    assert.equal(out, "INSERT INTO `t` VALUES (1,'it\\'s (a) \\\\ test\\n第二行',NULL,'2024-01-01 00:00:00'),(2,'😀),(',X'00282927',NULL);\n");
    assert.equal(countTuples(Buffer.from(out.trimEnd())), 2);
    assert.equal(lines.rows, 2);
    assert.equal(lines.bytes, Buffer.byteLength(out));
  });

  it('start a new statement when one grows past the size limit', () => {
    const big = raw('x'.repeat(STATEMENT_BYTES / 4));
    const out = text([[big], [big], [big], [big], [big]], new InsertLines('t', ['text']));
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines.map((l) => countTuples(Buffer.from(l))).reduce((a, b) => a + b), 5);
  });

  it('reuse the memory of a statement handed back, and still write the next one right', () => {
    const lines = new InsertLines('t', ['number', 'text']);
    const first = lines.add(rowOf([raw('1'), raw('a')])) ?? lines.finish()!;
    const memory = first.buffer;
    lines.recycle(first);
    // The second statement was already under way in another buffer; the third is written where the first was.
    lines.add(rowOf([raw('2'), raw('b')]));
    assert.equal(lines.finish()!.buffer === memory, false);
    lines.add(rowOf([raw('3'), raw("c'")]));
    const third = lines.finish()!;
    assert.equal(third.buffer, memory);
    assert.equal(third.toString('utf8'), "INSERT INTO `t` VALUES (3,'c\\'');\n");
  });
});
