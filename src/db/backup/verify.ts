import { checksumTable, baseTables, type TableChecksum } from './checksum.js';
import type { DbConnection } from '../connection.js';
import type { DatabasePlan, Finding, PlanStep } from '../migrate/plan-types.js';
import { OWN_TABLES } from '../schema/schema-diff.js';
import { expiredOnlyLoss, readExpiries, type Expiries } from '../self-expiring.js';

export interface DataSnapshot {
  database: string;
  tables: TableChecksum[];
  /** Per self-expiring table (login tickets): when its rows expire, so the ones that vanish by expiry are no loss. */
  expiries?: Record<string, Expiries>;
}

export interface DataMismatch {
  table: string;
  reason: string;
}

export interface SchemaVerification {
  database: string;
  /** Safe steps a new plan still finds: the apply did not reach the target. */
  remainingSteps: PlanStep[];
  /** Differences that the original plan did not report. */
  unexpected: Finding[];
}

/** Row counts and checksums of every table (except tars-docker's own) before a change. */
export async function snapshotData(conn: DbConnection, database: string, skip: ReadonlySet<string> = new Set()): Promise<DataSnapshot> {
  const tables: TableChecksum[] = [];
  const expiries: Record<string, Expiries> = {};
  for (const table of await baseTables(conn, database)) {
    if (OWN_TABLES.has(table) || skip.has(table)) continue;
    tables.push(await checksumTable(conn, database, table));
    const e = await readExpiries(conn, database, table);
    if (e) expiries[table] = e;
  }
  return { database, tables, expiries };
}

/** The same tables afterwards, over the columns they had before: nothing lost, nothing altered. */
export async function compareData(conn: DbConnection, before: DataSnapshot): Promise<DataMismatch[]> {
  const present = new Set(await baseTables(conn, before.database));
  const mismatches: DataMismatch[] = [];
  for (const old of before.tables) {
    if (!present.has(old.table)) {
      mismatches.push({ table: old.table, reason: 'table is gone' });
      continue;
    }
    const expiring = before.expiries?.[old.table];
    if (expiring) {
      // the master sweeps expired tickets while we work: only the unexpired ones must all still be there
      const loss = await expiredOnlyLoss(conn, before.database, old.table, expiring);
      if (loss) mismatches.push({ table: old.table, reason: loss });
      continue;
    }
    const now = await checksumTable(conn, before.database, old.table, old.columns);
    if (now.rows !== old.rows) mismatches.push({ table: old.table, reason: `row count ${old.rows} → ${now.rows}` });
    else if (now.checksum !== old.checksum) mismatches.push({ table: old.table, reason: 'checksum of the existing columns changed' });
  }
  return mismatches;
}

const findingKey = (f: Finding) => [f.severity, f.table, f.column ?? '', f.index ?? '', f.reason].join('|');

/** A fresh plan after applying must have no steps left and no difference the first plan did not report. */
export function compareSchema(after: DatabasePlan, reported: Finding[]): SchemaVerification {
  const known = new Set(reported.map(findingKey));
  return {
    database: after.live,
    remainingSteps: after.steps,
    unexpected: after.findings.filter((f) => !known.has(findingKey(f))),
  };
}
