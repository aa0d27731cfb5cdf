import { randomUUID } from 'node:crypto';
import { InputError, TarsDockerError } from '../../errors.js';
import { createBackup } from '../backup/backup.js';
import { quoteIdent } from '../sql/column-type.js';
import { openConnection, type DbConnection } from '../connection.js';
import { acquireLocks } from './db-lock.js';
import { MysqlHistory } from './history.js';
import { parseTargets, planDatabase } from './migrate-plan.js';
import { introspectDatabase } from '../schema/introspect.js';
import { schemaFingerprint, type PlannedDatabase, type PlannedMigration } from './planned.js';
import type { ApplyOptions, ApplyResult, DatabaseApplyResult, DatabaseRef, MigrateInput } from './migrate-types.js';
import { continueRun, type HistoryEntry, type RunnerOptions, type StepResult } from './migration-runner.js';
import { MysqlExecutor } from './mysql-executor.js';
import type { ParsedSchemaFile } from '../sql/sql-parser.js';
import type { DatabasePlan } from './plan-types.js';
import { compareData, compareSchema, snapshotData } from '../backup/verify.js';

/**
 * backup → apply → verify, under a per-database lock. The plan is computed again once the lock is held, and an
 * interrupted earlier run is finished first, so two runs never interleave and no step is applied twice. With
 * `opts.planned` the plan fixed earlier is applied as it is, and only if the live schema is still the one it was
 * computed against.
 */
export async function applyMigration(input: MigrateInput, opts: ApplyOptions): Promise<ApplyResult> {
  const targets = parseTargets(input);
  const conn = await openConnection(input.mysql);
  const release = await acquireLocks(conn, input.databases.map((d) => d.live), opts.lockWaitSeconds ?? 30)
    .catch(async (err: unknown) => { await conn.end().catch(() => conn.destroy()); throw err; });
  try {
    opts.onEvent?.({ type: 'locked', databases: input.databases.map((d) => d.live) });
    await conn.query('SET SESSION lock_wait_timeout = ?', [opts.ddlLockWaitSeconds ?? 60]);
    // Per database: its plan, and the entries of an interrupted run to finish first.
    const prepared = new Map<string, { plan: DatabasePlan; unfinished: HistoryEntry[] }>();
    let work = false;
    const existing: string[] = [];
    const fixed = opts.planned ? await assertStillPlanned(conn, input, { ...opts, planned: opts.planned }) : undefined;
    for (const ref of input.databases) {
      const plan = fixed?.get(ref.live) ?? await planDatabase(conn, ref.target, ref.live, targets.get(ref.target)!);
      if (!plan.createDatabase) existing.push(ref.live);
      const unfinished = plan.createDatabase || fixed ? [] : await unfinishedRun(conn, ref.live, input.version, opts);
      prepared.set(ref.live, { plan, unfinished });
      work ||= unfinished.length > 0 || plan.steps.length > 0;
    }
    const result: ApplyResult = { version: input.version, databases: [], ok: true };
    if (work && existing.length > 0) {
      result.backup = await createBackup(input.mysql, { backupDir: opts.backupDir, databases: existing });
      opts.onEvent?.({ type: 'backup-created', backup: result.backup });
    }
    for (const ref of input.databases) {
      const { plan, unfinished } = prepared.get(ref.live)!;
      const outcome = await applyDatabase(conn, ref, targets.get(ref.target)!, unfinished, input.version, opts, plan, fixed !== undefined);
      result.databases.push(outcome);
      result.ok &&= outcome.data.length === 0 && outcome.schema.remainingSteps.length === 0 && outcome.schema.unexpected.length === 0;
    }
    return result;
  } finally {
    await release();
    await conn.end().catch(() => conn.destroy());
  }
}

/**
 * Under the lock, before anything is written: every database's live schema is still the one its plan was computed
 * against, and no run a crash interrupted waits to be finished (the plan did not count on it; a run that stopped on
 * a failed step is given up as without a plan). Otherwise nothing is applied.
 */
async function assertStillPlanned(
  conn: DbConnection, input: MigrateInput, opts: ApplyOptions & { planned: PlannedMigration },
): Promise<Map<string, PlannedDatabase>> {
  const byLive = new Map(opts.planned.databases.map((p) => [p.live, p]));
  for (const ref of input.databases) {
    const plan = byLive.get(ref.live);
    if (!plan) throw new TarsDockerError(`the migration plan has no entry for ${ref.live}; nothing applied`);
    // only the fingerprint is compared: diffing again would be thrown away
    if (schemaFingerprint(await introspectDatabase(conn, ref.live)) !== plan.against) {
      throw new TarsDockerError(`the schema of ${ref.live} changed since the migration plan was computed; nothing applied; run the upgrade again to plan afresh`);
    }
  }
  for (const ref of input.databases) {
    const plan = byLive.get(ref.live)!;
    const open = plan.createDatabase ? [] : await unfinishedRun(conn, plan.live, input.version, opts);
    if (open.length > 0) {
      throw new TarsDockerError(`${plan.live} has an interrupted migration (run ${open[0]!.runId}) the plan did not count on; nothing applied; finish it with tars-docker migrate apply --to ${input.version}`);
    }
  }
  return byLive;
}

/**
 * A run that a crash interrupted is finished as recorded. A run that stopped on a failed step is not replayed:
 * its remaining steps are given up, said so, and the caller plans afresh from the live schema.
 */
async function unfinishedRun(conn: DbConnection, live: string, version: string, opts: ApplyOptions): Promise<HistoryEntry[]> {
  const history = new MysqlHistory(conn, live);
  const entries = await history.unfinished();
  const first = entries[0];
  const failed = entries.find((e) => e.outcome === 'failed');
  if (first && failed) {
    await history.abandon(first.runId);
    const discarded = entries.filter((e) => e.outcome === 'pending' || e.outcome === 'running').map((e) => e.step.id);
    opts.onEvent?.({ type: 'discarding', database: live, runId: first.runId, failedStep: failed.step.id, error: failed.note ?? 'unknown error', steps: discarded });
    return [];
  }
  if (!first || first.version === version) return entries;
  if (!opts.abandonUnfinished) {
    throw new InputError(
      `${live} has an unfinished migration to ${first.version} (run ${first.runId}); finish it with that version first, or abandon it`,
    );
  }
  await history.abandon(first.runId);
  return [];
}

async function applyDatabase(
  conn: DbConnection, ref: DatabaseRef, schema: ParsedSchemaFile, unfinished: HistoryEntry[], version: string, opts: ApplyOptions,
  first: DatabasePlan, fixed: boolean,
): Promise<DatabaseApplyResult> {
  const createStep = first.steps.find((s) => s.kind === 'create-database');
  if (createStep) await conn.query(createStep.sql);
  await conn.query(`USE ${quoteIdent(ref.live)}`);
  const history = new MysqlHistory(conn, ref.live);
  const changing = createStep !== undefined || unfinished.length > 0 || first.steps.length > 0;
  if (changing) await history.ensure();
  // Only a database that is about to change needs its rows counted and checksummed first.
  // Tables the interrupted run created receive their seed rows now, so their counts are meant to change.
  const created = new Set(unfinished.filter((e) => e.step.kind === 'create-table').map((e) => e.step.table!));
  const before = changing ? await snapshotData(conn, ref.live, created) : undefined;
  const runner: RunnerOptions = {
    storage: history,
    executor: new MysqlExecutor(conn),
    onEvent: (event) => opts.onEvent?.({ database: ref.live, ...event }),
  };
  let resumed: StepResult[] = [];
  if (unfinished.length > 0) {
    opts.onEvent?.({ type: 'resuming', database: ref.live, runId: unfinished[0]!.runId, version, steps: unfinished.length });
    resumed = await continueRun(runner, unfinished);
  }
  // Planned under the lock moments ago; only the steps an interrupted run just finished make it stale.
  const replanned = !fixed && unfinished.length > 0;
  const plan = replanned ? await planDatabase(conn, ref.target, ref.live, schema) : { ...first, steps: first.steps.filter((s) => s !== createStep) };
  const steps = createStep ? [createStep, ...plan.steps] : plan.steps;
  let applied: StepResult[] = [];
  if (steps.length > 0) {
    const entries = await history.begin(randomUUID(), version, steps);
    if (createStep) {
      // CREATE DATABASE had to run before its history table could exist; record it as done, never rerun it.
      await history.markDone(entries[0]!, { note: 'created before the history table' });
      entries[0]!.outcome = 'done';
    }
    applied = await continueRun(runner, entries);
  }
  const after = await planDatabase(conn, ref.target, ref.live, schema);
  return {
    live: ref.live,
    plan: createStep ? { ...plan, createDatabase: true, steps } : plan,
    resumed,
    applied,
    data: before ? await compareData(conn, before) : [],
    schema: compareSchema(after, replanned ? [...first.findings, ...plan.findings] : first.findings),
  };
}
