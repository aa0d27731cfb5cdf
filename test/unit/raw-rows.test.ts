import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRow, rawRow } from '../../src/db/backup/raw-rows.js';

/** A text-protocol row packet body: each value length-coded, NULL as 0xfb. */
function packet(values: (Buffer | null)[], wide: boolean): Buffer {
  return Buffer.concat(values.map((v) => {
    if (v === null) return Buffer.from([0xfb]);
    if (!wide) return Buffer.concat([Buffer.from([v.length]), v]);
    const head = Buffer.alloc(9);
    head[0] = 0xfe;
    head.writeUInt32LE(v.length, 1);
    return Buffer.concat([head, v]);
  }));
}

describe('raw row packets', () => {
  it('give each value its bytes and NULL its -1, with every length coding the protocol has', () => {
    const values = [Buffer.from('1'), null, Buffer.from(''), Buffer.from('x'.repeat(300)), Buffer.from('é'.repeat(40000))];
    for (const wide of [false, true]) {
      // 300 and 80000 bytes take the 2- and 3-byte codings; `wide` writes every length in the 8-byte one.
      const body = wide ? packet(values, true) : Buffer.concat([
        packet(values.slice(0, 3), false),
        Buffer.from([0xfc, 300 & 255, 300 >> 8]), values[3]!,
        Buffer.from([0xfd, 80000 & 255, (80000 >> 8) & 255, 80000 >> 16]), values[4]!,
      ]);
      const head = Buffer.from([9, 9, 9]);
      const row = rawRow(values.length);
      decodeRow(row, Buffer.concat([head, body]), head.length);
      const got = values.map((_, i) => (row.lengths[i]! < 0 ? null : row.buf.subarray(row.starts[i]!, row.starts[i]! + row.lengths[i]!)));
      assert.deepEqual(got, values, wide ? '8-byte lengths' : 'short lengths');
    }
  });
});
