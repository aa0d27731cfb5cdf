import { splitStatements } from './sql-lexer.js';
import { TokenCursor } from './token-cursor.js';
import type { ColumnType } from '../schema/schema-model.js';

const ALIASES: Record<string, string> = {
  integer: 'int', int4: 'int', int8: 'bigint', int1: 'tinyint', int2: 'smallint', int3: 'mediumint',
  middleint: 'mediumint', numeric: 'decimal', dec: 'decimal', fixed: 'decimal', real: 'double',
  bool: 'tinyint', boolean: 'tinyint', float4: 'float', float8: 'double',
};
export const INTEGER_TYPES = ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'];
const LENGTH_TYPES = new Set(['char', 'varchar', 'binary', 'varbinary']);
const KNOWN = new Set([
  ...INTEGER_TYPES, 'decimal', 'float', 'double', 'bit',
  ...LENGTH_TYPES, 'tinytext', 'text', 'mediumtext', 'longtext', 'tinyblob', 'blob', 'mediumblob', 'longblob',
  'enum', 'set', 'date', 'datetime', 'timestamp', 'time', 'year', 'json',
  'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection',
]);

/** Reads `varchar(128)`, `int(11) unsigned`, `enum('a','b')`, `double precision` at the cursor. */
export function readColumnType(cur: TokenCursor): ColumnType {
  const word = cur.peek();
  if (!word || word.kind !== 'word') cur.fail('expected a column type');
  const raw = cur.next().value.toLowerCase();
  const dataType = ALIASES[raw] ?? raw;
  if (!KNOWN.has(dataType)) cur.fail(`unknown column type "${raw}"`, word);
  if (dataType === 'double') cur.acceptWord('PRECISION');
  const type: ColumnType = { dataType, unsigned: false, zerofill: false };
  if (cur.acceptPunct('(')) {
    const args: string[] = [];
    do {
      const token = cur.next();
      if (token.kind !== 'number' && token.kind !== 'string') cur.fail('expected a type argument', token);
      args.push(token.value);
    } while (cur.acceptPunct(','));
    cur.expectPunct(')');
    if (dataType === 'enum' || dataType === 'set') type.values = args;
    else if (LENGTH_TYPES.has(dataType)) type.length = Number(args[0]);
    else if (!INTEGER_TYPES.includes(dataType)) type.args = args;
  } else if (dataType === 'char' || dataType === 'binary') {
    type.length = 1;
  } else if (dataType === 'varchar' || dataType === 'varbinary' || dataType === 'enum' || dataType === 'set') {
    cur.fail(`${dataType} needs its arguments`);
  }
  for (;;) {
    if (cur.acceptWord('UNSIGNED')) type.unsigned = true;
    else if (cur.acceptWord('ZEROFILL')) { type.zerofill = true; type.unsigned = true; }
    else if (cur.acceptWord('SIGNED')) continue;
    else break;
  }
  return type;
}

/** information_schema.COLUMNS.COLUMN_TYPE, e.g. `int(11) unsigned`, parsed with the same rules. */
export function parseColumnTypeText(text: string): ColumnType {
  const statement = splitStatements(text, 'information_schema')[0];
  const cur: TokenCursor = new TokenCursor(statement?.tokens ?? [], 'information_schema', 1);
  const type = readColumnType(cur);
  if (!cur.atEnd()) cur.fail('unexpected text after the column type');
  return type;
}

/** `varchar(128)`, `int unsigned`, `enum('a','b')`: the type as DDL, without display widths. */
export function renderColumnType(type: ColumnType): string {
  let out = type.dataType;
  if (type.values) out += `(${type.values.map(quoteString).join(',')})`;
  else if (type.length !== undefined) out += `(${type.length})`;
  else if (type.args && type.args.length > 0) out += `(${type.args.join(',')})`;
  if (type.unsigned) out += ' unsigned';
  if (type.zerofill) out += ' zerofill';
  return out;
}

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
