import type { HookName } from '../config/hooks.js';
import type { InventoryHostEntry } from '../config/inventory-edit.js';
import type { PlannedMigration } from '../db/migrate/planned.js';
import type { TarsWebDatabase } from '../db/tars-databases.js';
import type { RestartSpec } from './restart-spec.js';

/** What every step has: an id the journal records it by, why it is there, and what it waits for. */
interface StepBase {
  id: string;
  cause: string;
  dependsOn: string[];
}

export interface PullStep extends StepBase { kind: 'pull'; host: string; image: string }
export interface BackupStep extends StepBase { kind: 'backup'; databases: string[] }
/**
 * `image` is the one the master's restart will run: the target schema is read out of it. `plan`: what the step will
 * apply and skip, computed read-only while the run was prepared; the step applies exactly that.
 */
export interface MigrateStep extends StepBase { kind: 'migrate'; version: string; image: string; databases: TarsWebDatabase[]; plan?: PlannedMigration; planLater?: string }
export interface RestartStep extends StepBase { kind: 'restart'; host: string; restart: RestartSpec }
/** `expect`: the image each host must run afterwards, fixed at plan time so the check recomputes nothing. */
export interface VerifyStep extends StepBase { kind: 'verify'; version: string; expect: { host: string; image: string }[] }
export interface RecordStep extends StepBase { kind: 'record'; version: string }
export interface HookStep extends StepBase { kind: 'hook'; hook: HookName; host?: string; command: string; timeoutSeconds: number }
/**
 * An empty host's container made through tars-docker's compose file, proven by its heartbeat. `removeOnFailure`:
 * a host that does not join a running cluster leaves nothing behind (scale add-host); an install keeps what it made.
 */
export interface StartStep extends StepBase { kind: 'start'; host: string; role: string; version: string; image: string; removeOnFailure: boolean }
export interface RemoveContainersStep extends StepBase { kind: 'remove-containers'; host: string }
/** `registry`: a slave also leaves registry rows behind, a node only its t_node_info row. */
export interface DeactivateStep extends StepBase { kind: 'deactivate'; host: string; address: string; registry: boolean }
export interface InventoryAddStep extends StepBase { kind: 'inventory-add'; host: string; file: string; entry: InventoryHostEntry }
export interface InventoryRemoveStep extends StepBase { kind: 'inventory-remove'; host: string; file: string }

/** One step of a plan, plain data: printable, comparable in tests, journaled by id; each kind carries its own data. */
export type PlanStep =
  | PullStep | BackupStep | MigrateStep | RestartStep | VerifyStep | RecordStep | HookStep
  | StartStep | RemoveContainersStep | DeactivateStep | InventoryAddStep | InventoryRemoveStep;
export type StepKind = PlanStep['kind'];
export type StepOf<K extends StepKind> = Extract<PlanStep, { kind: K }>;

/** An upgrade or rollback: the plan of the cluster's version. */
export interface RolloutPlan { mode: 'upgrade' | 'rollback'; from: string | null; to: string; steps: PlanStep[] }
export interface InstallPlan { mode: 'install'; to: string; steps: PlanStep[] }
export interface AddHostPlan { mode: 'add-host'; host: string; to: string; steps: PlanStep[] }
export interface RemoveHostPlan { mode: 'remove-host'; host: string; steps: PlanStep[] }
export type AnyPlan = RolloutPlan | InstallPlan | AddHostPlan | RemoveHostPlan;

/** The host a step acts on, if it acts on one. */
export function stepHost(s: PlanStep): string | undefined {
  return 'host' in s ? s.host : undefined;
}

/**
 * The one word of what a step moves to, as plans have printed it (and `--json` has carried as `target`): an image,
 * a version, the databases, a hook's name, or what an edit of the cluster touches.
 */
export function stepTarget(s: PlanStep): string {
  switch (s.kind) {
    case 'pull': case 'start': return s.image;
    case 'restart': return s.restart.image;
    case 'backup': return s.databases.join(',');
    case 'migrate': case 'verify': case 'record': return s.version;
    case 'hook': return s.hook;
    case 'remove-containers': return 'its Tars containers';
    case 'deactivate': return s.address;
    case 'inventory-add': case 'inventory-remove': return s.file;
  }
}
