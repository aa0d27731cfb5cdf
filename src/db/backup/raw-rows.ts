import type { Connection as CoreConnection } from 'mysql2';

/**
 * One row as the server sent it: value i is `buf[starts[i], starts[i] + lengths[i])`, or NULL where `lengths[i]`
 * is -1. The arrays are reused for the next row: a consumer copies what it keeps.
 */
export interface RawRow {
  buf: Buffer;
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
}

export function rawRow(columns: number): RawRow {
  return { buf: Buffer.alloc(0), starts: new Int32Array(columns), lengths: new Int32Array(columns) };
}

/** Builds a row from separate values (for callers that have them so, and for tests). */
export function rowOf(values: (Buffer | null)[]): RawRow {
  const row = rawRow(values.length);
  row.buf = Buffer.concat(values.filter((v): v is Buffer => v !== null));
  let at = 0;
  values.forEach((v, i) => {
    row.starts[i] = at;
    row.lengths[i] = v === null ? -1 : v.length;
    at += v?.length ?? 0;
  });
  return row;
}

const NULL_VALUE = 0xfb;

/** Reads the length-coded values of a text-protocol row packet starting at `at` into `row`. */
export function decodeRow(row: RawRow, buf: Buffer, at: number): void {
  row.buf = buf;
  const { starts, lengths } = row;
  for (let i = 0; i < starts.length; i++) {
    let length = buf[at++]!;
    if (length === NULL_VALUE) {
      lengths[i] = -1;
      starts[i] = at;
      continue;
    }
    if (length === 0xfc) {
      length = buf[at]! | (buf[at + 1]! << 8);
      at += 2;
    } else if (length === 0xfd) {
      length = buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16);
      at += 3;
    } else if (length === 0xfe) {
      length = buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32;
      at += 8;
    }
    starts[i] = at;
    lengths[i] = length;
    at += length;
  }
}

interface RowPacket {
  buffer: Buffer;
  offset: number;
}

/** The part of mysql2's query command this reader relies on. */
interface QueryCommand extends NodeJS.EventEmitter {
  _rowParser: unknown;
}

/**
 * Runs `sql` and hands every row to `onRow` as offsets into the packet mysql2 received. mysql2 would make a Buffer
 * and an array per value and per row, which costs a backup more than formatting and summing the rows together.
 * mysql2 has no public hook for this: its query command takes its row parser from `_rowParser`, set right after
 * it emits 'fields', and this pins that property to a parser of our own. Should a later mysql2 change that, rows
 * would arrive as 'result' events: the query then fails with a message saying so rather than losing them.
 * Returns the query, whose 'error' and 'end' events settle it; pause and resume through the connection.
 */
export function queryRawRows(core: CoreConnection, sql: string, onRow: (row: RawRow) => void): NodeJS.EventEmitter {
  const query = core.query({ sql, rowsAsArray: true, typeCast: false }) as unknown as QueryCommand;
  const unsupported = () => {
    query.off('result', unsupported);
    query.emit('error', new Error('this mysql2 no longer lets the backup read rows as raw bytes'));
  };
  query.once('fields', (fields: unknown[]) => {
    const row = rawRow(fields.length);
    let first = true;
    const parser = {
      next(packet: RowPacket): null {
        if (first) {
          // This parser reads the rows: the guard against mysql2's own has done its job.
          query.off('result', unsupported);
          first = false;
        }
        decodeRow(row, packet.buffer, packet.offset);
        onRow(row);
        return null;
      },
    };
    Object.defineProperty(query, '_rowParser', { get: () => parser, set: () => undefined, configurable: true });
  });
  query.on('result', unsupported);
  return query;
}
