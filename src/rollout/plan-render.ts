import type { AnyPlan, PlanStep } from './plan-steps.js';
import { stepHost, stepTarget } from './plan-steps.js';
import { renderRestart } from './restart-spec.js';
import { renderMigrationPlan } from './migrate-step-render.js';

/** A step in a few words: the executor's task title, and the `steps` a scale dry run lists. */
export function stepTitle(s: PlanStep): string {
  return `${s.kind} ${stepHost(s) ?? ''} ${stepTarget(s)}`.replace(/\s+/g, ' ').trim();
}

/** The line above the steps: what the plan does as a whole. */
function headLine(plan: AnyPlan): string {
  const n = `${plan.steps.length} steps`;
  switch (plan.mode) {
    case 'upgrade': case 'rollback': return `${plan.mode} ${plan.from ?? '(none)'} -> ${plan.to}: ${n}`;
    case 'install': return `install ${plan.to}: ${n}`;
    case 'add-host': return `add-host ${plan.host} at ${plan.to}: ${n}`;
    case 'remove-host': return `remove-host ${plan.host}: ${n}`;
  }
}

/** The lines under a step, for kinds whose one line does not say enough. */
function detailLines(s: PlanStep): string[] {
  if (s.kind === 'restart') return renderRestart(s.restart);
  if (s.kind === 'migrate') return s.planLater ? [s.planLater] : renderMigrationPlan(s.plan);
  if (s.kind === 'start') return [`container made by tars-docker's compose file; on failure: ${s.removeOnFailure ? 'removed again' : 'left as it is'}`];
  return [];
}

/** One line per step; --dry-run, --json and the golden tests all use this. */
export function renderPlan(plan: AnyPlan): string[] {
  if (plan.steps.length === 0) return [`nothing to do: every host already runs ${'to' in plan ? plan.to : '(nothing)'}`];
  // the kind column is as wide as the plan's longest kind (7 for upgrades, as they have always printed)
  const width = Math.max(7, ...plan.steps.map((s) => s.kind.length));
  return [
    headLine(plan),
    ...plan.steps.flatMap((s, i) => [
      `${String(i + 1).padStart(2)}. ${s.kind.padEnd(width)} ${(stepHost(s) ?? '-').padEnd(8)} ${stepTarget(s)}  (${s.cause})` +
        (s.dependsOn.length ? `  after ${compactDeps(s.dependsOn)}` : ''),
      ...detailLines(s).map((l) => `      ${l}`),
    ]),
  ];
}

/** Dependencies in one short phrase: many of one kind as `pull:* (14)`. */
export function compactDeps(ids: string[]): string {
  const kinds = new Set(ids.map((id) => id.split(':')[0]));
  if (ids.length > 2 && kinds.size === 1) return `${[...kinds][0]}:* (${ids.length})`;
  return ids.join(', ');
}

/**
 * The plan as `--json` carries it. Scripts read `id`, `kind`, `host`, `target`, `cause`, `dependsOn` and a
 * restart's `restart` as the plan has always had them; each kind's own data comes beside them, under its own names.
 */
export function planJson(plan: AnyPlan): Record<string, unknown> {
  return {
    ...plan,
    steps: plan.steps.map((s) => {
      const { id, kind, cause, dependsOn, ...own } = s;
      const host = stepHost(s);
      return { id, kind, ...(host ? { host } : {}), target: stepTarget(s), cause, dependsOn, ...own };
    }),
  };
}
