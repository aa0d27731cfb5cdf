// "Nothing changed" as one value: the container (id, start, image) on every host, which databases exist, and the
// row count and checksum of every table of the Tars databases and of tars-docker's own.
import type { Config } from '../../src/config/types.js';
import { baseTables, checksumTable, tableColumns } from '../../src/db/backup/checksum.js';
import type { RowDataPacket } from 'mysql2/promise';
import { openConnection, type DbConnection } from '../../src/db/connection.js';
import { TARS_DATABASES } from '../../src/db/tars-databases.js';
import { existingDatabases } from '../../src/db/schema/introspect.js';
import { snapshotContainers, type ContainerSnapshot } from './lab.js';

/** Written by the running cluster on its own every few seconds: heartbeats and load, never by tars-docker. */
const LIVE_COLUMNS = new Set(['last_heartbeat', 'load_avg1', 'load_avg5', 'load_avg15']);
/** tarsAdminRegistry's heartbeat is a REPLACE (as upstream's DbProxy writes it): its row gets a new id each time. */
const RENUMBERED = new Set(['db_tars.t_registry_info.id']);
/** Columns the server stamps on every update (`modify_time`), which a heartbeat moves too. */
async function stampedColumns(conn: DbConnection, db: string, table: string): Promise<Set<string>> {
  const [rows] = await conn.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? AND EXTRA LIKE '%on update%'",
    [db, table],
  );
  return new Set(rows.map((r) => String(r.name)));
}
const DATABASES = [...TARS_DATABASES, 'tars_docker'];

export interface ClusterState {
  containers: ContainerSnapshot[];
  databases: string[];
  tables: Record<string, { rows: number; checksum: string }>;
}

export async function clusterState(config: Config): Promise<ClusterState> {
  const [containers, db] = await Promise.all([snapshotContainers(config), databaseState(config)]);
  return { containers, ...db };
}

async function databaseState(config: Config): Promise<Omit<ClusterState, 'containers'>> {
  const conn = await openConnection(config.mysql);
  try {
    const databases = (await existingDatabases(conn, DATABASES)).sort();
    const tables: ClusterState['tables'] = {};
    for (const db of databases) {
      for (const table of await baseTables(conn, db)) {
        const stamped = await stampedColumns(conn, db, table);
        const columns = (await tableColumns(conn, db, table)).filter((c) => !LIVE_COLUMNS.has(c) && !stamped.has(c) && !RENUMBERED.has(`${db}.${table}.${c}`));
        const { rows, checksum } = await checksumTable(conn, db, table, columns);
        tables[`${db}.${table}`] = { rows, checksum };
      }
    }
    return { databases, tables };
  } finally {
    await conn.end();
  }
}

/** Pure: what differs between two states, one line each (empty when nothing changed). */
export function stateChanges(before: ClusterState, after: ClusterState): string[] {
  const out: string[] = [];
  for (const c of before.containers) {
    const now = after.containers.find((a) => a.host === c.host);
    if (JSON.stringify(now) !== JSON.stringify(c)) out.push(`${c.host}: container ${JSON.stringify(c)} -> ${JSON.stringify(now)}`);
  }
  if (before.databases.join() !== after.databases.join()) out.push(`databases ${before.databases.join(',')} -> ${after.databases.join(',')}`);
  for (const key of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    const [b, a] = [before.tables[key], after.tables[key]];
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${key}: ${b ? `${b.rows} rows ${b.checksum.slice(0, 8)}` : 'absent'} -> ${a ? `${a.rows} rows ${a.checksum.slice(0, 8)}` : 'gone'}`);
  }
  return out;
}
