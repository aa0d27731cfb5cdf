import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/types.js';
import { columnChanges, describeColumnChange, snapshotColumns, type ColumnChange, type ColumnSnapshot } from '../db/schema/column-snapshot.js';
import { describeCutValue, findCutValues, type CutValue } from '../db/schema/cut-values.js';
import { errorMessage } from '../errors.js';
import { BACKUP_DATABASES } from '../db/tars-databases.js';

/**
 * What the master's own start did to the schema (TarsWeb's model sync narrows columns, mysql-tool adds some), and
 * the rows whose values a narrowing cut, found in the backup taken before the restart, which still holds them.
 */
export interface MasterDbChanges {
  changes: ColumnChange[];
  cut: CutValue[];
  backupId: string | null;
  backupPath: string | null;
  /** Why the cut rows could not be looked up (no backup, unreadable backup). */
  cutUnknown?: string;
}

export function columnsBeforeMasterStart(conn: mysql.Connection): Promise<ColumnSnapshot> {
  return snapshotColumns(conn, BACKUP_DATABASES);
}

export async function masterDbChanges(
  conn: mysql.Connection, cfg: MysqlConfig, before: ColumnSnapshot, backup: { dir: string; id: string | null },
): Promise<MasterDbChanges> {
  const changes = columnChanges(before, await snapshotColumns(conn, BACKUP_DATABASES));
  const result: MasterDbChanges = { changes, cut: [], backupId: backup.id, backupPath: backup.id ? join(backup.dir, backup.id) : null };
  if (!changes.some((c) => c.kind === 'narrowed')) return result;
  if (!backup.id) return { ...result, cutUnknown: 'no backup was taken in this run' };
  try {
    result.cut = await findCutValues(cfg, backup.dir, backup.id, changes);
  } catch (err) {
    result.cutUnknown = `reading backup ${backup.id} failed: ${errorMessage(err)}`;
  }
  return result;
}

const harmful = (c: ColumnChange) => ['narrowed', 'changed', 'dropped', 'table dropped'].includes(c.kind);

/** Lines for people: every change, the cut rows, and where the old values are. */
export function describeMasterDbChanges(r: MasterDbChanges): string[] {
  if (r.changes.length === 0) return [];
  const lines = [`the master's start changed the schema: ${r.changes.map(describeColumnChange).join('; ')}`];
  if (r.cut.length) lines.push(`values cut by the narrowing (${r.cut.length}): ${r.cut.map(describeCutValue).join('; ')}`);
  if (r.cutUnknown) lines.push(`rows cut by the narrowing unknown: ${r.cutUnknown}`);
  if (r.changes.some(harmful) && r.backupPath) lines.push(`backup ${r.backupId} at ${r.backupPath} holds the data as it was before`);
  return lines;
}

/** One sentence for the history and for an error, only when the start narrowed, changed or dropped something. */
export function masterDbNote(r: MasterDbChanges | undefined): string | null {
  if (!r || !r.changes.some(harmful)) return null;
  const what = r.changes.filter(harmful).map(describeColumnChange).join('; ');
  const cut = r.cut.length ? `, ${r.cut.length} row(s) cut (${r.cut.map(describeCutValue).join('; ')})` : '';
  const where = r.backupPath ? `; backup ${r.backupId} at ${r.backupPath} holds the old values` : '';
  return `the master's start changed the schema: ${what}${cut}${where}`;
}

/** The note of a run, from the facts its restart steps returned (kept in the journal, so a resumed run has them too). */
export function runDbNote(details: Map<string, Record<string, unknown>>): string | null {
  for (const d of details.values()) {
    const note = masterDbNote(d.masterDb as MasterDbChanges | undefined);
    if (note) return note;
  }
  return null;
}
