import { InputError } from '../../errors.js';
import { parseCreateTable } from './create-table-parser.js';
import { findTable, type DatabaseSchema } from '../schema/schema-model.js';
import { isWord, splitStatements, type Statement } from './sql-lexer.js';
import { TokenCursor } from './token-cursor.js';

export type StatementKind =
  | 'create-table' | 'drop-table' | 'insert' | 'set' | 'lock-tables' | 'unlock-tables' | 'toggle-keys'
  | 'create-database' | 'use';

export interface ParsedStatement {
  kind: StatementKind;
  line: number;
  /** The table a create, drop, insert or key toggle is about. */
  table?: string;
}

export interface ParsedSchemaFile extends DatabaseSchema {
  file: string;
  statements: ParsedStatement[];
}

/**
 * Reads a mysqldump-style schema file into tables with their seed INSERTs. DROP TABLE is recognised and recorded
 * but never becomes a step; anything the parser does not know fails with the file and line instead of a guess.
 */
export function parseSchemaFile(text: string, file: string): ParsedSchemaFile {
  const result: ParsedSchemaFile = { file, tables: [], statements: [] };
  for (const statement of splitStatements(text, file)) {
    result.statements.push(classify(statement, file, result));
  }
  return result;
}

function classify(statement: Statement, file: string, schema: ParsedSchemaFile): ParsedStatement {
  const cur: TokenCursor = new TokenCursor(statement.tokens, file, statement.line);
  const at = { line: statement.line };
  if (cur.acceptWord('CREATE')) {
    if (cur.acceptWord('DATABASE', 'SCHEMA')) return { kind: 'create-database', ...at };
    if (cur.acceptWord('TEMPORARY')) cur.fail('temporary tables are not supported');
    cur.expectWord('TABLE');
    const table = parseCreateTable(cur);
    if (findTable(schema, table.name)) cur.fail(`table ${table.name} is created twice`, statement.tokens[0]);
    schema.tables.push(table);
    return { kind: 'create-table', table: table.name, ...at };
  }
  if (cur.acceptWord('DROP')) {
    cur.expectWord('TABLE');
    if (cur.acceptWord('IF')) cur.expectWord('EXISTS');
    const table = cur.tableName();
    while (cur.acceptPunct(',')) cur.tableName();
    return { kind: 'drop-table', table, ...at };
  }
  if (cur.acceptWord('INSERT', 'REPLACE')) {
    while (cur.acceptWord('LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE'));
    cur.acceptWord('INTO');
    const name = cur.tableName();
    const table = findTable(schema, name);
    if (!table) cur.fail(`INSERT into ${name}, which this file does not create`, statement.tokens[0]);
    table.inserts.push(statement.text);
    return { kind: 'insert', table: table.name, ...at };
  }
  if (cur.acceptWord('SET')) return { kind: 'set', ...at };
  if (cur.acceptWord('LOCK')) { cur.expectWord('TABLES', 'TABLE'); return { kind: 'lock-tables', ...at }; }
  if (cur.acceptWord('UNLOCK')) { cur.expectWord('TABLES', 'TABLE'); return { kind: 'unlock-tables', ...at }; }
  if (cur.acceptWord('USE')) return { kind: 'use', ...at };
  if (cur.acceptWord('ALTER')) {
    cur.expectWord('TABLE');
    const table = cur.tableName();
    // mysqldump writes only key toggles; a schema change in a schema file would be run blind, so it is refused.
    if (!isWord(cur.peek(), 'DISABLE', 'ENABLE')) {
      const rest = statement.tokens.slice(cur.pos, cur.pos + 2);
      const line = rest[0]?.line ?? statement.line;
      const what = rest.map((t) => t.value.toUpperCase()).join(' ') || '(nothing)';
      throw new InputError(`${file}:${line}: ALTER TABLE ${table} ${what} is not supported in a schema file (only DISABLE/ENABLE KEYS); write the table as CREATE TABLE`, { file });
    }
    cur.expectWord('DISABLE', 'ENABLE');
    cur.expectWord('KEYS');
    if (!cur.atEnd()) cur.fail('unexpected text after ENABLE/DISABLE KEYS');
    return { kind: 'toggle-keys', table, ...at };
  }
  const first = statement.tokens[0]!;
  if (first.kind === 'word') {
    throw new InputError(`${file}:${first.line}: unsupported statement ${first.value.toUpperCase()}`, { file });
  }
  throw new InputError(`${file}:${first.line}: unsupported syntax near "${first.value.slice(0, 40)}"`, { file });
}
