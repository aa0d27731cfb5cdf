import type { MigrationPlan } from './migrate-types.js';
import type { DatabasePlan, Finding } from './plan-types.js';

function where(f: Finding): string {
  return f.table + (f.column ? `.${f.column}` : '') + (f.index ? ` (index ${f.index})` : '');
}

/** One database's plan as text: each statement exactly as it will run, then what stays as it is and why. */
export function renderDatabasePlan(plan: DatabasePlan): string[] {
  const lines = [`${plan.target} → ${plan.live}${plan.createDatabase ? ' (database will be created)' : ''}`];
  if (plan.steps.length === 0) lines.push('  no change needed');
  plan.steps.forEach((step, i) => {
    const online = step.online ? '  -- tries ALGORITHM=INSTANT, then INPLACE with LOCK=NONE' : '';
    const [first, ...rest] = step.sql.split('\n');
    lines.push(`  ${i + 1}. ${first}${rest.length === 0 ? `;${online}` : ''}`);
    rest.forEach((line, k) => lines.push(`     ${line}${k === rest.length - 1 ? ';' : ''}`));
  });
  for (const f of plan.findings) lines.push(`  ${f.severity.padEnd(6)} ${where(f)}: ${f.reason}`);
  return lines;
}

export function renderPlan(plan: MigrationPlan): string[] {
  return [`migration to ${plan.version}`, ...plan.databases.flatMap(renderDatabasePlan)];
}
