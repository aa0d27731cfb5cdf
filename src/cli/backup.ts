import { loadConfig } from '../config/load.js';
import { defaultBackupDir } from '../cluster/state-dir.js';
import { createBackup, listBackups, restoreBackup, verifyBackup } from '../db/backup/backups.js';
import { BACKUP_DATABASES, TARS_DATABASES } from '../db/tars-databases.js';
import { ExitCode, InputError } from '../errors.js';
import { confirm } from './confirm.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';
import { namesOf } from './repeatable.js';

interface BackupFlags {
  backupDir?: string;
  db?: string;
  rename?: string[];
  force?: boolean;
  otherDb?: boolean;
}

const dirOf = (g: GlobalOptions, f: BackupFlags) => f.backupDir ?? defaultBackupDir(loadConfig(g));

export async function runCreate([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as BackupFlags;
  const config = loadConfig(g);
  const databases = namesOf(f.db ?? BACKUP_DATABASES.join(','));
  if (databases.length === 0) throw new InputError('--db names no database');
  const foreign = databases.filter((d) => !(TARS_DATABASES as readonly string[]).includes(d));
  if (foreign.length > 0 && !f.otherDb) {
    throw new InputError(`--db ${foreign.join(',')}: not a Tars database; a backup copies everything in it (mysql holds the server's password hashes) into files on this machine, so pass --other-db to mean it`);
  }
  const manifest = await createBackup(config.mysql, { backupDir: f.backupDir ?? defaultBackupDir(config), databases });
  if (g.json) setJsonResult(manifest);
  else printLines([`backup ${manifest.id}: ${manifest.databases.map((d) => `${d.name} (${d.tables.length} tables, ${d.tables.reduce((n, t) => n + t.rows, 0)} rows)`).join(', ')}`]);
  return ExitCode.ok;
}

export async function runList([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const list = await listBackups(dirOf(g, opts as BackupFlags));
  if (g.json) setJsonResult({ backups: list.map((m) => ({ id: m.id, created: m.created, databases: m.databases.map((d) => d.name) })) });
  else printLines(list.length ? list.map((m) => `${m.id}  ${m.created}  ${m.databases.map((d) => d.name).join(', ')}`) : ['no backups']);
  return ExitCode.ok;
}

export async function runVerify([id, opts]: unknown[], g: GlobalOptions): Promise<number> {
  const problems = await verifyBackup(dirOf(g, opts as BackupFlags), String(id));
  if (g.json) setJsonResult({ id, ok: problems.length === 0, problems });
  else printLines(problems.length ? problems.map((p) => `${p.database}.${p.table}: ${p.reason}`) : [`backup ${String(id)} verified`]);
  return problems.length ? ExitCode.failed : ExitCode.ok;
}

export async function runRestore([id, opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as BackupFlags;
  const rename = Object.fromEntries(
    (f.rename ?? []).map((r) => {
      const [from, to] = r.split('=');
      if (!from || !to) throw new InputError(`--rename expects FROM=TO (got "${r}")`);
      return [from, to];
    }),
  );
  const only = f.db === undefined ? undefined : namesOf(f.db);
  if (only?.length === 0) throw new InputError('--db names no database');
  await confirm(`restore backup ${String(id)}${f.force ? ' over non-empty tables' : ''}?`, g.yes);
  const config = loadConfig(g);
  const restored = await restoreBackup(config.mysql, {
    backupDir: f.backupDir ?? defaultBackupDir(config),
    id: String(id),
    rename,
    ...(only ? { databases: only } : {}),
    force: Boolean(f.force),
  });
  if (g.json) setJsonResult({ id, restored });
  else printLines([`restored ${restored.length} tables, ${restored.reduce((n, t) => n + t.rows, 0)} rows; checksums match the backup`]);
  return ExitCode.ok;
}
