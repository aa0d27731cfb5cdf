import { checksumKindOf, listBackups } from '../backup/backup-manifest.js';
import { checksumTable, type ChecksumKind } from '../backup/checksum.js';
import { withConnection, type DbConnection } from '../connection.js';
import { parseTargets, planDatabase } from './migrate-plan.js';
import type { DatabaseVerifyResult, MigrateInput, VerifyResult } from './migrate-types.js';
import type { DataMismatch } from '../backup/verify.js';
import { baseTables } from '../backup/checksum.js';
import type { BackupDatabase } from '../backup/backup-manifest.js';
import { expiredOnlyLoss, expiryColumn } from '../self-expiring.js';

/**
 * Read-only check that the live databases are at the target: no safe step left, and the remaining differences
 * listed. With a backup directory, rows and checksums are also compared with the newest backup of each database
 * (meaningful right after an apply, before the application has written again).
 */
export async function verifyMigration(input: MigrateInput, opts: { backupDir?: string } = {}): Promise<VerifyResult> {
  const targets = parseTargets(input);
  const backups = opts.backupDir ? (await listBackups(opts.backupDir)).reverse() : [];
  return withConnection(input.mysql, async (conn) => {
    const databases: DatabaseVerifyResult[] = [];
    for (const ref of input.databases) {
      const plan = await planDatabase(conn, ref.target, ref.live, targets.get(ref.target)!);
      const result: DatabaseVerifyResult = { live: ref.live, remainingSteps: plan.steps, findings: plan.findings };
      const backup = backups.find((b) => b.databases.some((d) => d.name === ref.live));
      if (backup && !plan.createDatabase) {
        result.backupId = backup.id;
        result.data = await compareWithBackup(conn, backup.databases.find((d) => d.name === ref.live)!, checksumKindOf(backup));
      }
      databases.push(result);
    }
    const ok = databases.every((d) => d.remainingSteps.length === 0 && (d.data ?? []).length === 0);
    return { databases, ok };
  });
}

async function compareWithBackup(conn: DbConnection, db: BackupDatabase, kind: ChecksumKind): Promise<DataMismatch[]> {
  const present = new Set(await baseTables(conn, db.name));
  const mismatches: DataMismatch[] = [];
  for (const table of db.tables) {
    if (table.name === 'tars_docker_migrations') continue;
    if (!present.has(table.name)) {
      mismatches.push({ table: table.name, reason: 'table is gone' });
      continue;
    }
    if (expiryColumn(table.name)) {
      // login tickets expire and are swept by the master: compare only those that cannot have expired yet
      const loss = table.expiries ? await expiredOnlyLoss(conn, db.name, table.name, table.expiries) : null;
      if (loss) mismatches.push({ table: table.name, reason: loss });
      continue;
    }
    const now = await checksumTable(conn, db.name, table.name, table.columns, kind);
    if (now.rows !== table.rows) mismatches.push({ table: table.name, reason: `row count ${table.rows} → ${now.rows}` });
    else if (now.checksum !== table.checksum) mismatches.push({ table: table.name, reason: 'checksum of the backed-up columns changed' });
  }
  return mismatches;
}
