import type mysql from 'mysql2/promise';
import { expiredOnlyLoss, expiryColumn, readExpiries, type Expiries } from '../db/self-expiring.js';

/** Exact row counts of every base table of the databases, keyed `db.table`. */
export async function rowCounts(conn: mysql.Connection, databases: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const db of [...new Set(databases)]) {
    for (const t of await baseTables(conn, db)) {
      const [[row]] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${t}\``);
      out[`${db}.${t}`] = Number(row!.n);
    }
  }
  return out;
}

/** When the rows of the self-expiring tables (login tickets) expire, keyed `db.table`. */
export async function expiringRows(conn: mysql.Connection, databases: string[]): Promise<Record<string, Expiries>> {
  const out: Record<string, Expiries> = {};
  for (const db of [...new Set(databases)]) {
    for (const t of await baseTables(conn, db)) {
      const e = await readExpiries(conn, db, t);
      if (e) out[`${db}.${t}`] = e;
    }
  }
  return out;
}

async function baseTables(conn: mysql.Connection, db: string): Promise<string[]> {
  const [tables] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`,
    [db],
  );
  return tables.map((r) => String(r.t));
}

/** Pure: tables that now hold fewer rows than before, or are gone; self-expiring tables are judged apart. */
export function lostRows(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.entries(before)
    .filter(([table, n]) => n > 0 && !expiryColumn(table.split('.')[1] ?? '') && (after[table] ?? -1) < n)
    .map(([table, n]) => `${table} (${n} -> ${after[table] ?? 'gone'})`);
}

/** Self-expiring tables that lost rows which had not expired yet (a run journaled before they were recorded has none). */
export async function lostUnexpired(conn: mysql.Connection, before: Record<string, Expiries> | undefined): Promise<string[]> {
  const out: string[] = [];
  for (const [key, expiries] of Object.entries(before ?? {})) {
    const [db, table] = key.split('.') as [string, string];
    const loss = await expiredOnlyLoss(conn, db, table, expiries).catch(() => 'table is gone');
    if (loss) out.push(`${key} (${loss})`);
  }
  return out;
}
