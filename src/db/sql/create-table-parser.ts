import { readColumnType } from './column-type.js';
import { isPunct, isWord } from './sql-lexer.js';
import {
  charsetOfCollation, normalizeCharset, normalizeCollation,
  type ColumnDef, type DefaultValue, type IndexDef, type IndexKind, type IndexPart, type TableDef,
} from '../schema/schema-model.js';
import type { TokenCursor } from './token-cursor.js';

const GENERIC_TABLE_OPTIONS = new Set([
  'AUTO_INCREMENT', 'AVG_ROW_LENGTH', 'CHECKSUM', 'DELAY_KEY_WRITE', 'KEY_BLOCK_SIZE', 'MAX_ROWS',
  'MIN_ROWS', 'PACK_KEYS', 'STATS_AUTO_RECALC', 'STATS_PERSISTENT', 'STATS_SAMPLE_PAGES', 'PAGE_CHECKSUM',
  'TRANSACTIONAL', 'ENCRYPTED', 'ENCRYPTION_KEY_ID', 'PAGE_COMPRESSED', 'PAGE_COMPRESSION_LEVEL',
]);

/** Parses `CREATE TABLE [IF NOT EXISTS] name ( ... ) options`; the cursor stands after CREATE TABLE. */
export function parseCreateTable(cur: TokenCursor): TableDef {
  if (cur.acceptWord('IF')) { cur.expectWord('NOT'); cur.expectWord('EXISTS'); }
  const table: TableDef = { name: cur.tableName(), columns: [], indexes: [], options: {}, inserts: [] };
  if (isWord(cur.peek(), 'LIKE', 'AS', 'SELECT')) cur.fail('CREATE TABLE ... LIKE/AS is not supported');
  cur.expectPunct('(');
  do readItem(cur, table); while (cur.acceptPunct(','));
  cur.expectPunct(')');
  readTableOptions(cur, table);
  if (!cur.atEnd()) cur.fail('unsupported table option');
  return table;
}

function readItem(cur: TokenCursor, table: TableDef): void {
  if (cur.acceptWord('CONSTRAINT')) {
    if (!isWord(cur.peek(), 'PRIMARY', 'UNIQUE')) cur.name('a constraint name');
    if (!isWord(cur.peek(), 'PRIMARY', 'UNIQUE')) cur.fail('only PRIMARY KEY and UNIQUE constraints are supported');
  }
  if (cur.acceptWord('PRIMARY')) {
    cur.expectWord('KEY');
    return addIndex(table, readIndexBody(cur, 'primary', false, 'PRIMARY'));
  }
  if (cur.acceptWord('UNIQUE')) { cur.acceptWord('KEY', 'INDEX'); return addIndex(table, readIndexBody(cur, 'unique', true)); }
  if (cur.acceptWord('KEY', 'INDEX')) return addIndex(table, readIndexBody(cur, 'index', true));
  if (isWord(cur.peek(), 'FULLTEXT', 'SPATIAL')) {
    const kind = cur.next().value.toLowerCase() as IndexKind;
    cur.acceptWord('KEY', 'INDEX');
    return addIndex(table, readIndexBody(cur, kind, true));
  }
  if (isWord(cur.peek(), 'FOREIGN', 'CHECK', 'PERIOD')) cur.fail('foreign keys, checks and periods are not supported');
  table.columns.push(readColumn(cur, table));
}

function readIndexBody(cur: TokenCursor, kind: IndexKind, named: boolean, fixedName?: string): IndexDef {
  let name = fixedName ?? '';
  if (named && !isPunct(cur.peek(), '(') && !isWord(cur.peek(), 'USING')) name = cur.name('an index name');
  const index: IndexDef = { name, kind, parts: [] };
  if (cur.acceptWord('USING')) index.using = cur.name('an index type').toUpperCase();
  cur.expectPunct('(');
  do {
    const part: IndexPart = { column: cur.name('a column name') };
    if (cur.acceptPunct('(')) { part.length = Number(cur.next().value); cur.expectPunct(')'); }
    cur.acceptWord('ASC', 'DESC');
    index.parts.push(part);
  } while (cur.acceptPunct(','));
  cur.expectPunct(')');
  for (;;) {
    if (cur.acceptWord('USING')) index.using = cur.name('an index type').toUpperCase();
    else if (cur.acceptWord('COMMENT')) cur.string();
    else break;
  }
  return index;
}

/** Unnamed keys get the name the server would give them: the first column, then _2, _3 on a clash. */
function addIndex(table: TableDef, index: IndexDef): void {
  if (index.name === '') {
    const base = index.parts[0]!.column;
    let name = base;
    for (let n = 2; table.indexes.some((i) => i.name.toLowerCase() === name.toLowerCase()); n++) name = `${base}_${n}`;
    index.name = name;
  }
  table.indexes.push(index);
}

function readColumn(cur: TokenCursor, table: TableDef): ColumnDef {
  const name = cur.name('a column name');
  const column: ColumnDef = { name, ...readColumnType(cur), nullable: true, autoIncrement: false };
  for (;;) {
    if (cur.acceptWord('NOT')) { cur.expectWord('NULL'); column.nullable = false; }
    else if (cur.acceptWord('NULL')) column.nullable = true;
    else if (cur.acceptWord('DEFAULT')) column.default = readDefault(cur);
    else if (cur.acceptWord('AUTO_INCREMENT')) column.autoIncrement = true;
    else if (cur.acceptWord('COMMENT')) column.comment = cur.string();
    else if (cur.acceptWord('CHARSET')) column.charset = normalizeCharset(cur.name('a charset'));
    else if (cur.acceptWord('CHARACTER')) { cur.expectWord('SET'); column.charset = normalizeCharset(cur.name('a charset')); }
    else if (cur.acceptWord('COLLATE')) column.collation = normalizeCollation(cur.name('a collation'));
    else if (cur.acceptWord('ON')) { cur.expectWord('UPDATE'); column.onUpdate = readTimestampExpr(cur); }
    else if (cur.acceptWord('PRIMARY')) { cur.expectWord('KEY'); addIndex(table, { name: 'PRIMARY', kind: 'primary', parts: [{ column: name }] }); }
    else if (cur.acceptWord('UNIQUE')) { cur.acceptWord('KEY'); addIndex(table, { name: '', kind: 'unique', parts: [{ column: name }] }); }
    else if (cur.acceptWord('KEY')) addIndex(table, { name: 'PRIMARY', kind: 'primary', parts: [{ column: name }] });
    else break;
  }
  if (!isPunct(cur.peek(), ',') && !isPunct(cur.peek(), ')')) cur.fail(`unsupported attribute of column ${name}`);
  if (column.collation && !column.charset) column.charset = charsetOfCollation(column.collation);
  if (column.autoIncrement) column.nullable = false;
  return column;
}

function readDefault(cur: TokenCursor): DefaultValue {
  const token = cur.peek();
  if (token?.kind === 'string' || token?.kind === 'number') {
    cur.next();
    return { kind: 'literal', value: token.value };
  }
  if (token?.kind === 'bits') {
    cur.next();
    return { kind: 'bits', value: token.value.toLowerCase() };
  }
  if (token?.kind === 'op' && (token.value === '-' || token.value === '+')) {
    cur.next();
    const number = cur.next();
    if (number.kind !== 'number') cur.fail('expected a number', number);
    return { kind: 'literal', value: token.value === '-' ? `-${number.value}` : number.value };
  }
  if (cur.acceptWord('NULL')) return { kind: 'null' };
  if (cur.acceptWord('TRUE')) return { kind: 'literal', value: '1' };
  if (cur.acceptWord('FALSE')) return { kind: 'literal', value: '0' };
  return { kind: 'expr', value: readTimestampExpr(cur) };
}

/** CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(), NOW(3), LOCALTIMESTAMP: all the same function to the server. */
function readTimestampExpr(cur: TokenCursor): string {
  if (!isWord(cur.peek(), 'CURRENT_TIMESTAMP', 'NOW', 'LOCALTIMESTAMP', 'LOCALTIME')) {
    cur.fail('unsupported default or ON UPDATE expression');
  }
  cur.next();
  let precision = '';
  if (cur.acceptPunct('(')) {
    if (!cur.acceptPunct(')')) { precision = cur.next().value; cur.expectPunct(')'); }
  }
  return precision && precision !== '0' ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP';
}

function readTableOptions(cur: TokenCursor, table: TableDef): void {
  while (!cur.atEnd()) {
    cur.acceptPunct(',');
    cur.acceptWord('DEFAULT');
    const key = cur.name('a table option').toUpperCase();
    if (key === 'CHARACTER') cur.expectWord('SET');
    cur.acceptPunct('=');
    if (key === 'CHARSET' || key === 'CHARACTER') table.charset = normalizeCharset(cur.name('a charset'));
    else if (key === 'COLLATE') table.collation = normalizeCollation(cur.name('a collation'));
    else if (key === 'ENGINE' || key === 'TYPE') table.engine = cur.name('an engine');
    else if (key === 'COMMENT') table.comment = cur.string();
    else if (key === 'ROW_FORMAT') table.rowFormat = cur.next().value.toUpperCase();
    else if (GENERIC_TABLE_OPTIONS.has(key)) table.options[key] = cur.next().value;
    else cur.fail(`unsupported table option ${key}`, cur.tokens[cur.pos - 1]);
  }
  if (table.collation && !table.charset) table.charset = charsetOfCollation(table.collation);
}
