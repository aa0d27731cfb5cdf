import { Transform, type TransformCallback } from 'node:stream';
import mysql from 'mysql2';
import { quoteIdent } from './column-type.js';

/** About 512 KiB per statement: far below max_allowed_packet, large enough to restore quickly. */
export const STATEMENT_BYTES = 512 * 1024;

// Inside '...' only the quote and the backslash must be escaped; newlines are too, to keep one statement a line.
const SPECIAL = /[\0\n\r\x1a'\\]/;
const SPECIAL_ALL = /[\0\n\r\x1a'\\]/g;
const ESCAPED: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', "'": "\\'", '\\': '\\\\' };

/** A value as an SQL literal; the common cases are inlined because this runs once per value of every row. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return SPECIAL.test(value) ? `'${value.replace(SPECIAL_ALL, (c) => ESCAPED[c]!)}'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  return mysql.escape(value as Parameters<typeof mysql.escape>[0]);
}

/**
 * Turns rows (arrays, in column order) into `INSERT INTO t VALUES (...),(...);` lines. Values are escaped so a
 * statement never spans lines, which lets restore read the file line by line in constant memory.
 */
export class InsertLines extends Transform {
  rows = 0;
  bytes = 0;
  private statement = '';
  private readonly prefix: string;

  constructor(table: string) {
    super({ writableObjectMode: true, readableObjectMode: false, writableHighWaterMark: 256 });
    this.prefix = `INSERT INTO ${quoteIdent(table)} VALUES `;
  }

  override _transform(row: unknown[], _enc: BufferEncoding, done: TransformCallback): void {
    let tuple = this.statement === '' ? '(' : ',(';
    for (let i = 0; i < row.length; i++) tuple += (i === 0 ? '' : ',') + sqlLiteral(row[i]);
    this.statement += tuple + ')';
    this.rows++;
    if (this.statement.length >= STATEMENT_BYTES) this.flushStatement();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.flushStatement();
    done();
  }

  private flushStatement(): void {
    if (this.statement === '') return;
    const line = `${this.prefix}${this.statement};\n`;
    this.statement = '';
    const chunk = Buffer.from(line, 'utf8');
    this.bytes += chunk.length;
    this.push(chunk);
  }
}

/** Counts the row tuples of one INSERT line written by InsertLines, honouring quotes and escapes. */
export function countTuples(line: string): number {
  const start = line.indexOf(' VALUES ');
  if (start === -1) return 0;
  let count = 0;
  let depth = 0;
  let quote = '';
  for (let i = start + 8; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote) {
      if (c === 92) i++; // backslash escapes the next character
      else if (line[i] === quote) quote = '';
      continue;
    }
    if (c === 39 || c === 34) quote = line[i]!;
    else if (c === 40) { if (depth++ === 0) count++; }
    else if (c === 41) depth--;
  }
  return count;
}
