import type { ServerInfo } from '../server-info.js';
import { effectiveCharset, findColumn, maxBytesPerChar, type IndexDef, type TableDef } from './schema-model.js';

/**
 * InnoDB's index limits: one key part of COMPACT or REDUNDANT rows holds at most 767 bytes, of DYNAMIC or
 * COMPRESSED rows 3072 bytes when large prefixes are on; a whole key at most 3072 bytes.
 */
export const SMALL_KEY_PART = 767;
export const LARGE_KEY_PART = 3072;
export const MAX_KEY = 3072;
const LARGE_ROW_FORMATS = new Set(['DYNAMIC', 'COMPRESSED']);
export const SMALL_ROW_FORMATS = new Set(['COMPACT', 'REDUNDANT']);

const CHAR_TYPES = new Set(['char', 'varchar']);
const BYTE_TYPES = new Set(['binary', 'varbinary']);

export function keyPartLimit(rowFormat: string, server: ServerInfo): number {
  return LARGE_ROW_FORMATS.has(rowFormat) && server.largePrefix ? LARGE_KEY_PART : SMALL_KEY_PART;
}

export interface KeyPartSize {
  column: string;
  bytes: number;
}

/**
 * Bytes each part of `index` takes at most: characters (the column's length, or the prefix) times the widest
 * character of its charset. `fallbackCharset` stands in for a column whose charset is not known (a table that
 * inherits the database default); numbers and dates are small enough never to matter and are left out.
 */
export function keyPartSizes(table: TableDef, index: IndexDef, fallbackCharset: string): KeyPartSize[] {
  const sizes: KeyPartSize[] = [];
  for (const part of index.parts) {
    const column = findColumn(table, part.column);
    if (!column) continue;
    const chars = part.length ?? column.length;
    if (chars === undefined) continue;
    if (BYTE_TYPES.has(column.dataType) || column.dataType.endsWith('blob')) {
      sizes.push({ column: column.name, bytes: chars });
    } else if (CHAR_TYPES.has(column.dataType) || column.dataType.endsWith('text')) {
      const perChar = maxBytesPerChar(effectiveCharset(table, column) ?? fallbackCharset) ?? 4;
      sizes.push({ column: column.name, bytes: chars * perChar });
    }
  }
  return sizes;
}

export interface KeyOverflow {
  index: string;
  column?: string;
  bytes: number;
  limit: number;
  /** Whether DYNAMIC rows (with large prefixes) would hold it; a key over 3072 bytes in all fits no row format. */
  fitsDynamic: boolean;
}

/** Every part (and whole key) of `indexes` that `rowFormat` cannot hold on this server. */
export function keyOverflows(
  table: TableDef, indexes: IndexDef[], rowFormat: string, server: ServerInfo, fallbackCharset: string,
): KeyOverflow[] {
  const limit = keyPartLimit(rowFormat, server);
  const overflows: KeyOverflow[] = [];
  for (const index of indexes) {
    const sizes = keyPartSizes(table, index, fallbackCharset);
    const total = sizes.reduce((n, s) => n + s.bytes, 0);
    if (total > MAX_KEY) {
      overflows.push({ index: index.name, bytes: total, limit: MAX_KEY, fitsDynamic: false });
      continue;
    }
    for (const size of sizes) {
      if (size.bytes > limit) overflows.push({ index: index.name, ...size, limit, fitsDynamic: size.bytes <= LARGE_KEY_PART });
    }
  }
  return overflows;
}

export function describeOverflow(o: KeyOverflow, rowFormat: string): string {
  return o.column === undefined
    ? `index ${o.index} would need ${o.bytes} bytes, over the ${MAX_KEY}-byte limit of any key`
    : `index ${o.index} would need ${o.bytes} bytes for ${o.column}, over the ${o.limit}-byte key part limit of ${rowFormat} rows`;
}
