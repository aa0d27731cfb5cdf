import { quoteIdent, quoteString, renderColumnType } from '../sql/column-type.js';
import type { ColumnDef, DefaultValue, IndexDef, TableDef } from './schema-model.js';

/** `utf8mb3` is spelled `utf8` so the statements also run on MySQL 5.7, which does not know the new name. */
export function renderCharset(name: string): string {
  if (name === 'utf8mb3') return 'utf8';
  return name.startsWith('utf8mb3_') ? `utf8_${name.slice(8)}` : name;
}

export function renderDefault(value: DefaultValue): string {
  switch (value.kind) {
    case 'null': return 'NULL';
    case 'literal': return quoteString(value.value);
    case 'bits': return value.value;
    case 'expr': return value.value;
  }
}

export function renderColumn(column: ColumnDef): string {
  const parts = [quoteIdent(column.name), renderColumnType(column)];
  if (column.charset) parts.push(`CHARACTER SET ${renderCharset(column.charset)}`);
  if (column.collation) parts.push(`COLLATE ${renderCharset(column.collation)}`);
  parts.push(column.nullable ? 'NULL' : 'NOT NULL');
  if (column.default) parts.push(`DEFAULT ${renderDefault(column.default)}`);
  if (column.onUpdate) parts.push(`ON UPDATE ${column.onUpdate}`);
  if (column.autoIncrement) parts.push('AUTO_INCREMENT');
  if (column.comment) parts.push(`COMMENT ${quoteString(column.comment)}`);
  return parts.join(' ');
}

export function renderIndexColumns(index: IndexDef): string {
  const parts = index.parts.map((p) => quoteIdent(p.column) + (p.length !== undefined ? `(${p.length})` : ''));
  return `(${parts.join(',')})${index.using ? ` USING ${index.using}` : ''}`;
}

/** The index as a CREATE TABLE item: PRIMARY KEY (..), UNIQUE KEY `n` (..), KEY `n` (..). */
export function renderIndex(index: IndexDef): string {
  const columns = renderIndexColumns(index);
  switch (index.kind) {
    case 'primary': return `PRIMARY KEY ${columns}`;
    case 'unique': return `UNIQUE KEY ${quoteIdent(index.name)} ${columns}`;
    case 'index': return `KEY ${quoteIdent(index.name)} ${columns}`;
    case 'fulltext': return `FULLTEXT KEY ${quoteIdent(index.name)} ${columns}`;
    case 'spatial': return `SPATIAL KEY ${quoteIdent(index.name)} ${columns}`;
  }
}

export function qualified(database: string, table: string): string {
  return `${quoteIdent(database)}.${quoteIdent(table)}`;
}

export function renderCreateTable(database: string, table: TableDef): string {
  const items = [...table.columns.map(renderColumn), ...table.indexes.map(renderIndex)];
  const options: string[] = [];
  if (table.engine) options.push(`ENGINE=${table.engine}`);
  for (const [key, value] of Object.entries(table.options)) options.push(`${key}=${value}`);
  if (table.rowFormat) options.push(`ROW_FORMAT=${table.rowFormat}`);
  if (table.charset) options.push(`DEFAULT CHARSET=${renderCharset(table.charset)}`);
  if (table.collation) options.push(`COLLATE=${renderCharset(table.collation)}`);
  if (table.comment) options.push(`COMMENT=${quoteString(table.comment)}`);
  return `CREATE TABLE ${qualified(database, table.name)} (\n  ${items.join(',\n  ')}\n)${options.length ? ` ${options.join(' ')}` : ''}`;
}
