export type StepKind =
  | 'create-database' | 'create-table' | 'insert' | 'add-column' | 'add-index' | 'modify-column' | 'row-format';

/** How the runner tells, after a crash in the middle of a step, whether the server already applied it. */
export type StepCheck =
  | { kind: 'database-exists' }
  | { kind: 'table-exists'; table: string }
  | { kind: 'column-exists'; table: string; column: string }
  | { kind: 'index-exists'; table: string; index: string }
  | { kind: 'column-type'; table: string; column: string; columnType: string }
  | { kind: 'row-format'; table: string; rowFormat: string }
  /** Seed rows run in one transaction with their history record, so they need no probe. */
  | { kind: 'transactional' };

export interface PlanStep {
  /** Readable and stable, e.g. `t_tars_files: add column benchmark_context`. */
  id: string;
  kind: StepKind;
  /** Live database name the statement runs in. */
  database: string;
  table?: string;
  /** The exact statement; for online steps the runner appends the ALGORITHM clause it settles on. */
  sql: string;
  online: boolean;
  check: StepCheck;
}

export type FindingSeverity = 'unsafe' | 'kept' | 'note';

export interface Finding {
  /** unsafe: a difference we will not apply; kept: live has something the target lacks; note: cosmetic. */
  severity: FindingSeverity;
  database: string;
  table: string;
  column?: string;
  index?: string;
  reason: string;
}

export interface DatabasePlan {
  target: string;
  live: string;
  createDatabase: boolean;
  steps: PlanStep[];
  findings: Finding[];
}
