import { quoteIdent } from '../sql/column-type.js';
import type { RawRow } from './raw-rows.js';

/** About 512 KiB per statement: far below max_allowed_packet, large enough to restore quickly. */
export const STATEMENT_BYTES = 512 * 1024;

/** How a column's bytes become SQL: a number as it is, binary data as hex, everything else quoted. */
export type ColumnKind = 'number' | 'binary' | 'text';

// Protocol type codes (mysql2's Types): DECIMAL, TINY, SHORT, LONG, FLOAT, DOUBLE, LONGLONG, INT24, YEAR, NEWDECIMAL.
const NUMERIC = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0d, 0xf6]);
// Dates and times are sent with the binary "charset" too, yet are text to the server when written back.
const TEMPORAL = new Set([0x07, 0x0a, 0x0b, 0x0c, 0x0e]);
const JSON_TYPE = 0xf5;
const BINARY_CHARSET = 63;

export function columnKind(field: { columnType?: number; characterSet?: number }): ColumnKind {
  const type = field.columnType ?? -1;
  if (NUMERIC.has(type)) return 'number';
  if (TEMPORAL.has(type) || type === JSON_TYPE) return 'text';
  return field.characterSet === BINARY_CHARSET ? 'binary' : 'text';
}

// Bytes that must be escaped inside '...' (newlines too, to keep one statement a line), and their escapes.
const ESCAPES: [number, number][] = [[0x00, 0x30], [0x0a, 0x6e], [0x0d, 0x72], [0x1a, 0x5a], [0x27, 0x27], [0x5c, 0x5c]];
const ESCAPE_OF = new Uint8Array(256);
for (const [byte, letter] of ESCAPES) ESCAPE_OF[byte] = letter;
const [NUMBER, BINARY, TEXT] = [1, 2, 3];
const HEX = Buffer.from('0123456789abcdef');

/** Bytes appended to one growing buffer: values are copied as they came, never decoded into strings. */
class ByteWriter {
  buf: Buffer = Buffer.allocUnsafe(STATEMENT_BYTES * 2);
  length = 0;
  /** Buffers handed back once their statement was consumed, reused so a long table allocates no new ones. */
  readonly spare: Buffer[] = [];

  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(src: Buffer): void {
    this.reserve(src.length);
    src.copy(this.buf, this.length);
    this.length += src.length;
  }

  /** The bytes so far, in a buffer the writer no longer uses; it goes on in a spare one or a new one. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(STATEMENT_BYTES * 2);
    this.length = 0;
    return out;
  }
}

/**
 * Turns rows of raw column bytes (as the server sends them) into
 * `INSERT INTO t VALUES (...),(...);` lines. Escaping works on bytes: every special character is ASCII and never
 * part of a multibyte character, so this is exact for every charset MySQL stores. A statement never spans lines,
 * which lets restore read the file line by line in constant memory. A plain object, not a stream: a stream per
 * row costs more than the formatting itself.
 */
export class InsertLines {
  rows = 0;
  bytes = 0;
  private readonly out = new ByteWriter();
  private readonly prefix: Buffer;
  private open = false;

  private readonly kinds: Uint8Array;

  constructor(table: string, kinds: ColumnKind[]) {
    this.prefix = Buffer.from(`INSERT INTO ${quoteIdent(table)} VALUES `);
    this.kinds = Uint8Array.from(kinds, (k) => (k === 'number' ? NUMBER : k === 'binary' ? BINARY : TEXT));
  }

  /** Adds one row; returns a finished statement when this row filled it. */
  add(row: RawRow): Buffer | null {
    const out = this.out;
    if (this.open) out.byte(0x2c);
    else {
      out.bytes(this.prefix);
      this.open = true;
    }
    const { buf: src, starts, lengths } = row;
    const kinds = this.kinds;
    // Room for the row at its longest (every byte escaped, or hex) once, so the loop below never grows the buffer.
    let longest = starts.length + 2;
    for (let i = 0; i < starts.length; i++) longest += 2 * Math.max(lengths[i]!, 2) + 3;
    out.reserve(longest);
    const buf = out.buf;
    let at = out.length;
    buf[at++] = 0x28;
    for (let i = 0; i < starts.length; i++) {
      if (i > 0) buf[at++] = 0x2c;
      const start = starts[i]!;
      const end = start + lengths[i]!;
      const kind = kinds[i];
      if (end < start) {
        buf[at++] = 0x4e; // NULL
        buf[at++] = 0x55;
        buf[at++] = 0x4c;
        buf[at++] = 0x4c;
      } else if (kind === NUMBER) {
        // a number's few digits: a loop costs less here than a native copy
        for (let j = start; j < end; j++) buf[at++] = src[j]!;
      } else if (kind === BINARY) {
        buf[at++] = 0x58; // X
        buf[at++] = 0x27;
        for (let j = start; j < end; j++) {
          buf[at++] = HEX[src[j]! >> 4]!;
          buf[at++] = HEX[src[j]! & 15]!;
        }
        buf[at++] = 0x27;
      } else {
        // quoted and escaped in one pass of table look-ups: most values are short, where this beats searching
        // for each special byte natively (six calls per value) and copying after
        buf[at++] = 0x27;
        for (let j = start; j < end; j++) {
          const c = src[j]!;
          const e = ESCAPE_OF[c]!;
          if (e !== 0) {
            buf[at++] = 0x5c;
            buf[at++] = e;
          } else buf[at++] = c;
        }
        buf[at++] = 0x27;
      }
    }
    buf[at++] = 0x29;
    out.length = at;
    this.rows++;
    return at >= STATEMENT_BYTES ? this.finish() : null;
  }

  /**
   * Hands back a statement returned by add() or finish() once nothing reads it any more, so its memory serves the
   * next one: a backup then allocates a few buffers in all, instead of one per statement that only a full garbage
   * collection would return.
   */
  recycle(statement: Buffer): void {
    const whole = Buffer.from(statement.buffer, statement.byteOffset);
    if (whole.length === STATEMENT_BYTES * 2 && this.out.spare.length < 4) this.out.spare.push(whole);
  }

  /** The statement under way, closed; null when there is none. */
  finish(): Buffer | null {
    if (!this.open) return null;
    this.out.byte(0x3b);
    this.out.byte(0x0a);
    this.open = false;
    const chunk = this.out.take();
    this.bytes += chunk.length;
    return chunk;
  }
}

/** Counts the row tuples of one INSERT line written by InsertLines, honouring quotes and escapes. */
export function countTuples(line: Buffer): number {
  const start = line.indexOf(' VALUES ');
  if (start === -1) return 0;
  let count = 0;
  let depth = 0;
  let quote = 0;
  for (let i = start + 8; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== 0) {
      if (c === 0x5c) i++; // a backslash escapes the next byte
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 0x27 || c === 0x22) quote = c;
    else if (c === 0x28) { if (depth++ === 0) count++; }
    else if (c === 0x29) depth--;
  }
  return count;
}
