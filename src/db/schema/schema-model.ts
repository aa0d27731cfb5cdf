/**
 * One model for a schema, whether it was parsed from a .sql file or read from information_schema, so the diff
 * compares like with like. Names of types, charsets and collations are lower case; `utf8` is stored as
 * `utf8mb3` because that is what MariaDB and MySQL 8 report for it.
 */
export type DefaultValue =
  | { kind: 'null' }
  | { kind: 'literal'; value: string }
  /** A b'0101' or x'0f' literal as written. */
  | { kind: 'bits'; value: string }
  /** An expression such as CURRENT_TIMESTAMP, kept upper case without the empty parentheses. */
  | { kind: 'expr'; value: string };

/** A column's type as written in a definition: the part a type change compares. */
export interface ColumnType {
  /** Base type, e.g. `varchar`, `int`, `mediumtext`, `enum`. */
  dataType: string;
  /** Character length of char/varchar/binary/varbinary; display widths of integers are not kept. */
  length?: number;
  /** decimal(p,s), float(p,s), datetime(fsp), bit(n): the arguments as written. */
  args?: string[];
  /** enum/set members in order. */
  values?: string[];
  unsigned: boolean;
  zerofill: boolean;
}

export interface ColumnDef extends ColumnType {
  name: string;
  charset?: string;
  collation?: string;
  nullable: boolean;
  /** Absent: no DEFAULT clause (a nullable column then defaults to NULL). */
  default?: DefaultValue;
  onUpdate?: string;
  autoIncrement: boolean;
  comment?: string;
}

export type IndexKind = 'primary' | 'unique' | 'index' | 'fulltext' | 'spatial';

export interface IndexPart {
  column: string;
  /** Prefix length, as in KEY k (name(10)). */
  length?: number;
}

export interface IndexDef {
  /** `PRIMARY` for the primary key. */
  name: string;
  kind: IndexKind;
  parts: IndexPart[];
  using?: string;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  indexes: IndexDef[];
  engine?: string;
  charset?: string;
  collation?: string;
  comment?: string;
  /**
   * Upper case. Parsed: as declared (absent: the server's default applies). Live: what the server really uses
   * (information_schema.TABLES.ROW_FORMAT), which on an Antelope server is COMPACT even where DYNAMIC was asked for.
   */
  rowFormat?: string;
  /** Remaining table options (AUTO_INCREMENT, KEY_BLOCK_SIZE, ...) upper-case key → value as written. */
  options: Record<string, string>;
  /** Seed INSERT statements of the file for this table, verbatim; only run into a table we just created. */
  inserts: string[];
}

export interface DatabaseSchema {
  tables: TableDef[];
}

/** Live state also says whether the database exists and its defaults. */
export interface LiveDatabase extends DatabaseSchema {
  exists: boolean;
  charset?: string;
  collation?: string;
}

const MAX_BYTES_PER_CHAR: Record<string, number> = {
  ascii: 1, latin1: 1, latin2: 1, binary: 1, cp1251: 1, cp1252: 1,
  gbk: 2, gb2312: 2, big5: 2, sjis: 2, cp932: 3, ujis: 3, eucjpms: 3, euckr: 2,
  ucs2: 2, utf8mb3: 3, utf8mb4: 4, utf16: 4, utf16le: 4, utf32: 4, gb18030: 4,
};

export function maxBytesPerChar(charset: string | undefined): number | undefined {
  return charset === undefined ? undefined : MAX_BYTES_PER_CHAR[charset];
}

export function normalizeCharset(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'utf8' ? 'utf8mb3' : lower;
}

export function normalizeCollation(name: string): string {
  const lower = name.toLowerCase();
  return lower.startsWith('utf8_') ? `utf8mb3_${lower.slice(5)}` : lower;
}

export function findTable(schema: DatabaseSchema, name: string): TableDef | undefined {
  return schema.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

export function findColumn(table: TableDef, name: string): ColumnDef | undefined {
  return table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export const STRING_TYPES = new Set([
  'char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set',
]);

/** The charset a string column really has: its own, else the table's default, else unknown. */
export function effectiveCharset(table: TableDef, column: ColumnDef): string | undefined {
  if (!STRING_TYPES.has(column.dataType)) return undefined;
  return column.charset ?? (column.collation ? charsetOfCollation(column.collation) : undefined) ?? table.charset;
}

export function charsetOfCollation(collation: string): string {
  const c = normalizeCollation(collation);
  return c === 'binary' ? 'binary' : c.slice(0, c.indexOf('_') === -1 ? c.length : c.indexOf('_'));
}
