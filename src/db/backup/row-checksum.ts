import { checksumDigest, type ColumnFacts } from './checksum.js';
import type { RawRow } from './raw-rows.js';

/**
 * The `crc32-row` checksum computed here, over the bytes the server streams, instead of by the server in a second
 * scan of the table. On a machine where the server and the backup share the cores the server's CRC of every row is
 * what a backup waits for; here it costs a fraction of that. The result is the very number `checksumSelect` makes
 * the server compute, so a restore proves its rows against it on the server as before.
 */

/** Byte-wise CRC-32 (IEEE, as the server's CRC32()), and seven more tables to take eight bytes per step. */
const CRC = new Int32Array(256 * 8);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC[n] = c;
}
for (let n = 0; n < 256; n++) {
  for (let k = 1; k < 8; k++) {
    const prev = CRC[(k - 1) * 256 + n]!;
    CRC[k * 256 + n] = (prev >>> 8) ^ CRC[prev & 255]!;
  }
}

const SEPARATOR = 0x1f;
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;
/** Row CRCs are summed as a double until the sum could lose a bit, then carried into a bigint. */
const CARRY_AT = 2 ** 52;

function crcByte(crc: number, byte: number): number {
  return (crc >>> 8) ^ CRC[(crc ^ byte) & 255]!;
}

function crcBytes(crc: number, v: Buffer, start: number, length: number): number {
  const n = start + length;
  let j = start;
  for (; j + 8 <= n; j += 8) {
    const a = crc ^ (v[j]! | (v[j + 1]! << 8) | (v[j + 2]! << 16) | (v[j + 3]! << 24));
    crc = CRC[1792 + (a & 255)]! ^ CRC[1536 + ((a >>> 8) & 255)]! ^ CRC[1280 + ((a >>> 16) & 255)]! ^ CRC[1024 + (a >>> 24)]!
      ^ CRC[768 + v[j + 4]!]! ^ CRC[512 + v[j + 5]!]! ^ CRC[256 + v[j + 6]!]! ^ CRC[v[j + 7]!]!;
  }
  for (; j < n; j++) crc = crcByte(crc, v[j]!);
  return crc;
}

/** The decimal digits of a non-negative integer, most significant first. */
function crcDecimal(crc: number, value: number): number {
  // most values are shorter than 100 bytes: their lengths without the general loop's divisions
  if (value < 10) return crcByte(crc, ZERO + value);
  if (value < 100) return crcByte(crcByte(crc, ZERO + ((value / 10) | 0)), ZERO + (value % 10));
  let unit = 1;
  while (unit * 10 <= value) unit *= 10;
  for (; unit >= 1; unit = Math.floor(unit / 10)) crc = crcByte(crc, ZERO + (Math.floor(value / unit) % 10));
  return crc;
}

export class RowChecksum {
  rows = 0;
  private sum = 0;
  private carried = 0n;
  /**
   * One row of raw values, as `CONCAT_WS(0x1f, v1, …, vn, CONCAT_WS(',', len1, …, lenn))` lays it out: NULLs are
   * skipped among the values and count -1 among the lengths.
   */
  add(row: RawRow): void {
    const { buf, starts, lengths } = row;
    let crc = -1;
    for (let i = 0; i < starts.length; i++) {
      if (lengths[i]! >= 0) crc = crcByte(crcBytes(crc, buf, starts[i]!, lengths[i]!), SEPARATOR);
    }
    for (let i = 0; i < starts.length; i++) {
      if (i > 0) crc = crcByte(crc, COMMA);
      const length = lengths[i]!;
      crc = length < 0 ? crcByte(crcByte(crc, MINUS), ZERO + 1) : crcDecimal(crc, length);
    }
    this.sum += (crc ^ -1) >>> 0;
    if (this.sum >= CARRY_AT) {
      this.carried += BigInt(this.sum);
      this.sum = 0;
    }
    this.rows++;
  }

  /** The table's checksum, in the form the server's comes in. */
  digest(): string {
    return checksumDigest(BigInt(this.rows), this.carried + BigInt(this.sum), 0n);
  }
}

/** Text in these charsets reaches a utf8mb4 connection as the very bytes the server's CAST(… AS BINARY) sees. */
const SAME_BYTES_CHARSETS = new Set(['utf8mb4', 'utf8mb3', 'utf8', 'ascii', 'binary']);

/**
 * Types whose text-protocol value is byte for byte what `CAST(col AS BINARY)` gives on the server. Left out, and
 * so summed by the server: FLOAT and DOUBLE (the protocol and CAST may print them to different digits), BIT,
 * ZEROFILL, JSON (MySQL's own type), spatial and the newer string-shaped types (UUID, INET).
 */
const SAME_BYTES_TYPES = new Set([
  'tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal',
  'char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set',
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob',
  'date', 'datetime', 'timestamp', 'time', 'year',
]);

/** True when this program may compute the table's checksum from the streamed rows. */
export function summableInClient(columns: ColumnFacts[]): boolean {
  return columns.every((c) => SAME_BYTES_TYPES.has(c.dataType)
    && !/zerofill/i.test(c.columnType)
    && (c.charset === null || SAME_BYTES_CHARSETS.has(c.charset)));
}
