import { createHash } from 'node:crypto';
import { TarsDockerError, errorMessage } from '../../errors.js';
import { redact } from '../../redact.js';
import type { Algorithm } from './online-ddl.js';
import type { PlanStep } from './plan-types.js';

export type Outcome = 'pending' | 'running' | 'done' | 'failed' | 'abandoned';

export interface HistoryEntry {
  id: number;
  runId: string;
  version: string;
  seq: number;
  step: PlanStep;
  checksum: string;
  outcome: Outcome;
  /** Why a step failed, or how it was finished. */
  note?: string;
}

export interface ExecResult {
  algorithm?: Algorithm;
  fallbacks?: string[];
  note?: string;
}

/** Where the runner keeps its history; the MySQL table in each database, or memory in tests. */
export interface MigrationStorage {
  /** Entries of the oldest run with steps still pending or running (a crash or a failure), in order; empty if none. */
  unfinished(): Promise<HistoryEntry[]>;
  begin(runId: string, version: string, steps: PlanStep[]): Promise<HistoryEntry[]>;
  markRunning(entry: HistoryEntry): Promise<void>;
  markDone(entry: HistoryEntry, result: ExecResult): Promise<void>;
  markFailed(entry: HistoryEntry, note: string): Promise<void>;
  /** Gives up a run's pending and running steps; a failed step keeps its outcome and error. */
  abandon(runId: string): Promise<void>;
}

export interface StepExecutor {
  execute(step: PlanStep): Promise<ExecResult>;
  /** Runs the statement and `record` in one transaction, so a crash leaves either both or neither. */
  executeWithRecord(step: PlanStep, record: () => Promise<void>): Promise<void>;
  /** After a crash mid-step: did the server apply it? */
  isApplied(step: PlanStep): Promise<boolean>;
}

export type StepStatus = 'applied' | 'recovered' | 'already-done' | 'would-run';

export interface StepResult extends ExecResult {
  step: PlanStep;
  status: StepStatus;
}

export type RunnerEvent =
  | { type: 'step-started'; step: PlanStep }
  | { type: 'step-finished'; result: StepResult };

export interface RunnerOptions {
  storage: MigrationStorage;
  executor: StepExecutor;
  onEvent?: (event: RunnerEvent) => void;
}

export function statementChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Applies steps in order, recording each in the history before and after it runs. A step counts as done only
 * once the server accepted it; seed rows commit together with their record, and DDL (which commits on its own)
 * is probed after a crash instead of being run a second time.
 */
export async function runSteps(opts: RunnerOptions, runId: string, version: string, steps: PlanStep[]): Promise<StepResult[]> {
  if (steps.length === 0) return [];
  return continueRun(opts, await opts.storage.begin(runId, version, steps));
}

/** Finishes the run a crash or failure left behind, so that no finished step is ever applied twice. */
export async function continueRun(opts: RunnerOptions, entries: HistoryEntry[]): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const entry of entries) {
    const result = await runEntry(opts, entry);
    results.push(result);
    opts.onEvent?.({ type: 'step-finished', result });
  }
  return results;
}

async function runEntry(opts: RunnerOptions, entry: HistoryEntry): Promise<StepResult> {
  const { storage, executor } = opts;
  const step = entry.step;
  if (entry.outcome === 'done') return { step, status: 'already-done' };
  if ((entry.outcome === 'running' || entry.outcome === 'failed') && (await executor.isApplied(step))) {
    const note = 'the server had applied it before the run was interrupted';
    await storage.markDone(entry, { note });
    return { step, status: 'recovered', note };
  }
  await storage.markRunning(entry);
  opts.onEvent?.({ type: 'step-started', step });
  try {
    if (step.check.kind === 'transactional') {
      await executor.executeWithRecord(step, () => storage.markDone(entry, {}));
      return { step, status: 'applied' };
    }
    const result = await executor.execute(step);
    await storage.markDone(entry, result);
    return { step, status: 'applied', ...result };
  } catch (err) {
    const message = redact(errorMessage(err));
    await storage.markFailed(entry, message).catch(() => undefined);
    throw new TarsDockerError(`${step.database}: step "${step.id}" failed: ${message}`, undefined, { step: step.id }, { cause: err });
  }
}

/** What a run would do, without a lock, a history table or a statement. */
export function dryRun(steps: PlanStep[]): StepResult[] {
  return steps.map((step) => ({ step, status: 'would-run' as const }));
}
