import { splitStatements } from '../sql/sql-lexer.js';
import type { DefaultValue } from './schema-model.js';

const TIME_TYPES = new Set(['timestamp', 'datetime']);
const TIMESTAMP_FN = /^(current_timestamp|now|localtimestamp|localtime)(\((\d*)\))?$/i;

/**
 * information_schema.COLUMNS.COLUMN_DEFAULT, which MariaDB (10.2.7+) writes as SQL (`'text'`, `NULL`,
 * `current_timestamp()`) and MySQL writes as the bare value (`text`, SQL NULL, `CURRENT_TIMESTAMP`).
 */
export function parseLiveDefault(raw: string | null, dataType: string, extra: string, mariadb: boolean): DefaultValue | undefined {
  if (raw === null) return undefined;
  const fn = TIMESTAMP_FN.exec(raw.trim());
  if (fn && (mariadb || TIME_TYPES.has(dataType) || extra.includes('default_generated'))) {
    const precision = fn[3];
    return { kind: 'expr', value: precision && precision !== '0' ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP' };
  }
  if (!mariadb) {
    if (extra.includes('default_generated')) return { kind: 'expr', value: raw };
    if (/^[bx]'[0-9a-f]*'$/i.test(raw)) return { kind: 'bits', value: raw.toLowerCase() };
    return { kind: 'literal', value: raw };
  }
  if (raw === 'NULL') return { kind: 'null' };
  if (raw.startsWith("'")) {
    const token = splitStatements(raw, 'information_schema')[0]?.tokens[0];
    return { kind: 'literal', value: token?.value ?? '' };
  }
  if (/^[bx]'[0-9a-f]*'$/i.test(raw)) return { kind: 'bits', value: raw.toLowerCase() };
  if (/^[-+]?[0-9.eE]+$/.test(raw)) return { kind: 'literal', value: raw };
  return { kind: 'expr', value: raw.toUpperCase() };
}
