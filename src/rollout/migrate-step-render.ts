import type { PlannedMigration } from '../db/migrate/planned.js';
import type { PlanStep as MigrationChange } from '../db/migrate/plan-types.js';

/** The algorithm a change is expected to run with: the runner tries the online ones in order and says which it used. */
function algorithm(change: MigrationChange): string {
  return change.online ? 'INSTANT, else INPLACE LOCK=NONE' : 'as written';
}

/**
 * Under a migrate step: one line per change it will apply, then one per unsafe difference it will skip and why.
 * A step without a plan (a pure plan nobody prepared) has nothing to show.
 */
export function renderMigrationPlan(plan: PlannedMigration | undefined): string[] {
  if (!plan) return [];
  return plan.databases.flatMap((db) => {
    const skipped = db.findings.filter((f) => f.severity === 'unsafe');
    if (db.steps.length === 0 && skipped.length === 0) return [`${db.live}: no change needed`];
    return [
      ...db.steps.map((c) => `${db.live}: ${c.id}  [${algorithm(c)}]`),
      ...skipped.map((f) => `${db.live}: SKIP ${f.table}${f.column ? `.${f.column}` : ''}${f.index ? ` (index ${f.index})` : ''}: ${f.reason}`),
    ];
  });
}
