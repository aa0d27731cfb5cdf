import type { RowDataPacket } from 'mysql2/promise';
import type { DbConnection } from '../../src/db/connection.js';
import { introspectDatabase } from '../../src/db/schema/introspect.js';
import type { ColumnDef, TableDef } from '../../src/db/schema/schema-model.js';

const CHINESE = '腾讯开源微服务框架数据迁移测试中文内容校验';
const INT_MAX: Record<string, number> = { tinyint: 100, smallint: 30000, mediumint: 8_000_000 };

function text(n: number, length: number, utf8mb4: boolean, tricky: boolean): string {
  let body = `${n}-${CHINESE}`;
  if (tricky) body += ` it's "q" \\ 换行\n${utf8mb4 ? '😀' : ''}`;
  while (body.length < length) body += CHINESE;
  return [...body].slice(0, length).join('');
}

function value(column: ColumnDef, table: TableDef, n: number, keyed: boolean): unknown {
  if (column.nullable && !keyed && n % 7 === 3) return null;
  const utf8mb4 = (column.charset ?? table.charset) === 'utf8mb4';
  const t = column.dataType;
  if (t in INT_MAX || ['int', 'bigint'].includes(t)) return n % (INT_MAX[t] ?? 2_000_000_000);
  if (t === 'varchar' || t === 'char') {
    const max = column.length ?? 1;
    // Every tenth value fills the column, so any narrowing would visibly cut data.
    return text(n, n % 10 === 0 ? max : Math.min(max, 24), utf8mb4, false);
  }
  if (t.endsWith('text')) return text(n, 40 + (n % 80), utf8mb4, true);
  if (t.endsWith('blob') || t === 'varbinary' || t === 'binary') return Buffer.from([n % 256, 0, 255, 10, 39, 92]);
  if (t === 'datetime' || t === 'timestamp') return new Date(Date.UTC(2024, 0, 1) + n * 61_000).toISOString().slice(0, 19).replace('T', ' ');
  if (t === 'date') return '2024-02-29';
  if (t === 'enum' || t === 'set') return column.values![n % column.values!.length];
  if (['decimal', 'float', 'double'].includes(t)) return (n / 8).toFixed(2);
  throw new Error(`seed: no generator for ${t}`);
}

/** Fills every table with `rows` rows of varied, utf8mb4-rich data that respects keys and lengths. */
export async function seedDatabase(conn: DbConnection, database: string, rows: number): Promise<void> {
  const schema = await introspectDatabase(conn, database);
  for (const table of schema.tables) {
    if (table.name === 'tars_docker_migrations') continue;
    const keyed = new Set(table.indexes.filter((i) => i.kind !== 'index').flatMap((i) => i.parts.map((p) => p.column)));
    const columns = table.columns.filter((c) => !c.autoIncrement);
    const [max] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${database}\`.\`${table.name}\``);
    const offset = Number(max[0]!.n) + 10;
    for (let start = 0; start < rows; start += 500) {
      const batch: unknown[][] = [];
      for (let n = start; n < Math.min(rows, start + 500); n++) {
        batch.push(columns.map((c) => value(c, table, n + offset, keyed.has(c.name))));
      }
      await conn.query(
        `INSERT INTO \`${database}\`.\`${table.name}\` (${columns.map((c) => `\`${c.name}\``).join(',')}) VALUES ?`, [batch]);
    }
  }
}
