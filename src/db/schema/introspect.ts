import type { Connection, RowDataPacket } from 'mysql2/promise';
import { parseColumnTypeText } from '../sql/column-type.js';
import { parseLiveDefault } from './live-default.js';
import {
  charsetOfCollation, normalizeCharset, normalizeCollation,
  type ColumnDef, type IndexKind, type LiveDatabase, type TableDef,
} from './schema-model.js';

/** Reads one database's tables, columns and indexes from information_schema into the model the parser builds. */
export async function introspectDatabase(conn: Connection, database: string): Promise<LiveDatabase> {
  const [schemata] = await conn.query<RowDataPacket[]>(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [database],
  );
  const schema = schemata[0];
  if (!schema) return { exists: false, tables: [] };
  const mariadb = await isMariaDb(conn);
  const [tableRows] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS name, ENGINE AS engine, ROW_FORMAT AS rf, TABLE_COLLATION AS co, TABLE_COMMENT AS comment
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  );
  const [columnRows] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS type, CHARACTER_SET_NAME AS cs, COLLATION_NAME AS co,
            IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const [indexRows] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, SUB_PART AS sub, INDEX_TYPE AS type
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  );
  const tables = new Map<string, TableDef>();
  for (const row of tableRows) {
    const collation = row.co ? normalizeCollation(String(row.co)) : undefined;
    tables.set(String(row.name), {
      name: String(row.name),
      columns: [],
      indexes: [],
      engine: row.engine ? String(row.engine) : undefined,
      charset: collation ? charsetOfCollation(collation) : undefined,
      collation,
      comment: row.comment ? String(row.comment) : undefined,
      // The format the rows really have, not CREATE_OPTIONS' request, which an Antelope server ignores.
      rowFormat: row.rf ? String(row.rf).toUpperCase() : undefined,
      options: {},
      inserts: [],
    });
  }
  for (const row of columnRows) tables.get(String(row.tbl))?.columns.push(toColumn(row, mariadb));
  for (const row of indexRows) {
    const table = tables.get(String(row.tbl));
    if (!table) continue;
    let index = table.indexes.find((i) => i.name === String(row.name));
    if (!index) {
      index = { name: String(row.name), kind: indexKind(row), parts: [] };
      table.indexes.push(index);
    }
    index.parts.push({ column: String(row.col), ...(row.sub != null ? { length: Number(row.sub) } : {}) });
  }
  return {
    exists: true,
    charset: normalizeCharset(String(schema.cs)),
    collation: normalizeCollation(String(schema.co)),
    tables: [...tables.values()],
  };
}

function toColumn(row: RowDataPacket, mariadb: boolean): ColumnDef {
  const extra = String(row.extra ?? '').toLowerCase();
  const nullable = row.nullable === 'YES';
  const column: ColumnDef = {
    name: String(row.name),
    ...parseColumnTypeText(String(row.type)),
    nullable,
    autoIncrement: extra.includes('auto_increment'),
  };
  if (row.cs) column.charset = normalizeCharset(String(row.cs));
  if (row.co) column.collation = normalizeCollation(String(row.co));
  const dflt = parseLiveDefault(row.dflt == null ? null : String(row.dflt), column.dataType, extra, mariadb);
  if (dflt) column.default = dflt;
  if (/on update current_timestamp/.test(extra)) {
    const precision = /on update current_timestamp\((\d+)\)/.exec(extra)?.[1];
    column.onUpdate = precision && precision !== '0' ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP';
  }
  if (row.comment) column.comment = String(row.comment);
  return column;
}

function indexKind(row: RowDataPacket): IndexKind {
  if (String(row.name) === 'PRIMARY') return 'primary';
  const type = String(row.type).toUpperCase();
  if (type === 'FULLTEXT') return 'fulltext';
  if (type === 'SPATIAL') return 'spatial';
  return Number(row.nonUnique) === 0 ? 'unique' : 'index';
}

export async function isMariaDb(conn: Connection): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v');
  return /mariadb/i.test(String(rows[0]?.v ?? ''));
}

/** Which of `names` exist on the server. */
export async function existingDatabases(conn: Connection, names: readonly string[]): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?)',
    [names],
  );
  return rows.map((r) => String(r.name));
}
