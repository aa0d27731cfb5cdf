import { INTEGER_TYPES, renderColumnType } from '../sql/column-type.js';
import { maxBytesPerChar, type ColumnDef } from './schema-model.js';

export type TypeChange =
  | { kind: 'same' }
  | { kind: 'widen'; reason: string }
  | { kind: 'unsafe'; reason: string };

const FAMILIES = [
  INTEGER_TYPES,
  ['tinytext', 'text', 'mediumtext', 'longtext'],
  ['tinyblob', 'blob', 'mediumblob', 'longblob'],
];
const LENGTH_TYPES = new Set(['char', 'varchar', 'binary', 'varbinary']);

/**
 * Whether turning the live column's type into the target's keeps every value that can be stored today.
 * Lengths are compared in bytes because that is what a value occupies; a column keeps its live charset.
 */
export function classifyTypeChange(
  live: ColumnDef, target: ColumnDef, liveCharset: string | undefined, targetCharset: string | undefined,
): TypeChange {
  const from = renderColumnType(live);
  const to = renderColumnType(target);
  if (from === to) return { kind: 'same' };
  const unsafe = (why: string): TypeChange => ({ kind: 'unsafe', reason: `${from} → ${to}: ${why}` });
  if (live.unsigned !== target.unsigned || live.zerofill !== target.zerofill) return unsafe('signedness changes');
  if (live.dataType === target.dataType && LENGTH_TYPES.has(live.dataType)) {
    return lengthChange(live.length ?? 1, target.length ?? 1, liveCharset, targetCharset ?? liveCharset, from, to);
  }
  for (const family of FAMILIES) {
    const a = family.indexOf(live.dataType);
    const b = family.indexOf(target.dataType);
    if (a === -1 || b === -1) continue;
    if (b > a && sameArgs(live, target)) return { kind: 'widen', reason: `${from} → ${to}` };
    return unsafe(b < a ? 'narrows the type' : 'changes the type');
  }
  if ((live.dataType === 'enum' || live.dataType === 'set') && live.dataType === target.dataType) {
    const before = live.values ?? [];
    const after = target.values ?? [];
    const appended = after.length > before.length && before.every((v, i) => v === after[i]);
    if (appended) return { kind: 'widen', reason: `appends ${after.slice(before.length).map((v) => `'${v}'`).join(',')}` };
    return unsafe('removes, renames or reorders members');
  }
  return unsafe('changes the type');
}

function sameArgs(a: ColumnDef, b: ColumnDef): boolean {
  return (a.args ?? []).join(',') === (b.args ?? []).join(',');
}

function lengthChange(
  n: number, m: number, liveCharset: string | undefined, targetCharset: string | undefined, from: string, to: string,
): TypeChange {
  const liveBytes = n * (maxBytesPerChar(liveCharset) ?? 1);
  const targetBytes = m * (maxBytesPerChar(targetCharset) ?? maxBytesPerChar(liveCharset) ?? 1);
  const bytes = liveCharset ? ` (${liveBytes} → ${targetBytes} bytes)` : '';
  if (m >= n && targetBytes >= liveBytes) return { kind: 'widen', reason: `${from} → ${to}${bytes}` };
  return { kind: 'unsafe', reason: `${from} → ${to}: narrows${bytes}; values longer than the new length would be truncated` };
}

/** A comparable form of a column's default: no DEFAULT on a nullable column means DEFAULT NULL. */
export function defaultKey(column: ColumnDef): string {
  const value = column.default;
  if (!value) return column.nullable ? 'NULL' : 'none';
  if (value.kind === 'null') return 'NULL';
  if (value.kind === 'expr' || value.kind === 'bits') return value.value.toUpperCase();
  if (INTEGER_TYPES.includes(column.dataType) && /^[-+]?\d+$/.test(value.value.trim())) {
    return `'${BigInt(value.value.trim())}'`;
  }
  if (['float', 'double'].includes(column.dataType) && value.value.trim() !== '' && !Number.isNaN(Number(value.value))) {
    return `'${Number(value.value)}'`;
  }
  return `'${value.value}'`;
}
