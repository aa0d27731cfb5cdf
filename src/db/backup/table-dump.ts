import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { settleAll } from '../../settle-all.js';
import { coreConnection, type DbConnection } from '../connection.js';
import type { InsertLines } from './insert-lines.js';
import { queryRawRows } from './raw-rows.js';
import type { RowChecksum } from './row-checksum.js';

/** Compressed output is handed on in pieces this large: fewer callbacks, hash updates and writes per megabyte. */
const GZIP_CHUNK = 256 * 1024;

/**
 * Statements handed to the compressor and not yet consumed, at most. At two, the rows of the next statement are
 * read and formatted while zlib compresses the last one. Waiting for 'drain' instead would let the stream's buffer
 * empty first, and then formatting and compressing take turns: at 512 KiB statements a 16 KiB high-water mark
 * pauses the socket after every one.
 */
const IN_FLIGHT = 2;

/**
 * Streams the rows of `select` as INSERT lines into a gzip file (mode 0600), summing them into `sum` when given,
 * and returns the sha256 of the file as written. Rows go from mysql2's row events straight into `lines`, with no
 * object stream per row; the socket is paused while the compressor (which runs on zlib's threads) is a statement
 * behind, so memory stays constant.
 */
export async function dumpRows(
  conn: DbConnection, select: string, lines: InsertLines, path: string, level: number, sum?: RowChecksum,
): Promise<string> {
  const gzip = createGzip({ level, chunkSize: GZIP_CHUNK });
  const hash = createHash('sha256');
  const tap = new PassThrough();
  tap.on('data', (chunk: Buffer) => hash.update(chunk));
  const written = pipeline(gzip, tap, createWriteStream(path, { mode: 0o600 }));
  // Settle both sides whatever the other does, so neither failure is an unhandled rejection.
  await settleAll([feed(conn, select, lines, gzip, sum), written]);
  return hash.digest('hex');
}

function feed(conn: DbConnection, select: string, lines: InsertLines, out: Writable, sum: RowChecksum | undefined): Promise<void> {
  const core = coreConnection(conn);
  return new Promise((ok, fail) => {
    let broken = false;
    let inFlight = 0;
    let paused = false;
    // A failed file must not leave the query paused forever: its remaining rows are read and dropped.
    out.once('error', () => {
      broken = true;
      core.resume();
    });
    const send = (chunk: Buffer | null) => {
      if (!chunk) return;
      inFlight++;
      // zlib calls back once it has consumed the chunk, and then its memory can take the next statement.
      out.write(chunk, () => {
        inFlight--;
        lines.recycle(chunk);
        if (paused && inFlight < IN_FLIGHT) {
          paused = false;
          core.resume();
        }
      });
      if (inFlight >= IN_FLIGHT && !paused) {
        paused = true;
        core.pause();
      }
    };
    // Raw bytes per value: no decoding, no per-type conversion, written back exactly as the server sent them.
    const query = queryRawRows(core, select, (row) => {
      if (broken) return;
      sum?.add(row);
      send(lines.add(row));
    });
    query.on('error', (err: Error) => {
      broken = true;
      out.destroy(err);
      fail(err);
    });
    query.on('end', () => {
      // The last statement goes with end(): an ending stream never emits 'drain', so nothing may wait for one.
      if (!broken) out.end(lines.finish() ?? undefined);
      ok();
    });
  });
}
