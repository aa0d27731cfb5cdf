import type { MysqlConfig } from '../../config/types.js';
import type { BackupManifest } from '../backup/backup-manifest.js';
import type { RunnerEvent, StepResult } from './migration-runner.js';
import type { DatabasePlan, Finding } from './plan-types.js';
import type { PlannedMigration } from './planned.js';
import type { TarsWebDatabase } from '../tars-databases.js';
import type { DataMismatch, SchemaVerification } from '../backup/verify.js';

export interface DatabaseRef {
  /** Which TarsWeb schema file describes it. */
  target: TarsWebDatabase;
  /** The database on the server (the same name in production, a prefixed one in tests). */
  live: string;
}

export interface SchemaFile {
  /** Where the text came from, for error messages (a path, or image:path). */
  file: string;
  text: string;
}

export type SchemaFiles = Partial<Record<TarsWebDatabase, SchemaFile>>;

export interface MigrateInput {
  mysql: MysqlConfig;
  databases: DatabaseRef[];
  schemaFiles: SchemaFiles;
  /** Label recorded in the history, normally the target image tag. */
  version: string;
}

export interface MigrationPlan {
  version: string;
  databases: DatabasePlan[];
}

export type MigrateEvent =
  | { type: 'locked'; databases: string[] }
  | { type: 'backup-created'; backup: BackupManifest }
  | { type: 'resuming'; database: string; runId: string; version: string; steps: number }
  /** A run that stopped on a failed step: its later steps are given up and the schema is planned again. */
  | { type: 'discarding'; database: string; runId: string; failedStep: string; error: string; steps: string[] }
  | ({ database: string } & RunnerEvent);

export interface ApplyOptions {
  backupDir: string;
  /** How long to wait for another run's lock before failing (default 30 s). */
  lockWaitSeconds?: number;
  /** How long one DDL may wait for the application's metadata locks (default 60 s). */
  ddlLockWaitSeconds?: number;
  /** Give up an unfinished run of another version instead of refusing to start. */
  abandonUnfinished?: boolean;
  /** Apply exactly this plan, fixed earlier (an upgrade's prepare phase), or refuse if the live schema moved since. */
  planned?: PlannedMigration;
  onEvent?: (event: MigrateEvent) => void;
}

export interface DatabaseApplyResult {
  live: string;
  /** The plan computed under the lock, after finishing any interrupted run. */
  plan: DatabasePlan;
  resumed: StepResult[];
  applied: StepResult[];
  data: DataMismatch[];
  schema: SchemaVerification;
}

export interface ApplyResult {
  version: string;
  /** Absent when there was nothing to do, or no database existed yet. */
  backup?: BackupManifest;
  databases: DatabaseApplyResult[];
  ok: boolean;
}

export interface DatabaseVerifyResult {
  live: string;
  /** Safe changes still missing. */
  remainingSteps: DatabasePlan['steps'];
  /** Differences that stay by design (unsafe, kept, notes). */
  findings: Finding[];
  /** Rows and checksums against the newest backup, when a backup directory was given. */
  data?: DataMismatch[];
  backupId?: string;
}

export interface VerifyResult {
  databases: DatabaseVerifyResult[];
  ok: boolean;
}
