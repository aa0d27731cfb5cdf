import type mysql from 'mysql2/promise';

/** Exact row counts of every base table of the databases, keyed `db.table`. */
export async function rowCounts(conn: mysql.Connection, databases: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const db of [...new Set(databases)]) {
    const [tables] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`,
      [db],
    );
    for (const { t } of tables) {
      const [[row]] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${String(t)}\``);
      out[`${db}.${String(t)}`] = Number(row!.n);
    }
  }
  return out;
}

/** Pure: tables that now hold fewer rows than before, or are gone. */
export function lostRows(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.entries(before)
    .filter(([table, n]) => n > 0 && (after[table] ?? -1) < n)
    .map(([table, n]) => `${table} (${n} -> ${after[table] ?? 'gone'})`);
}
