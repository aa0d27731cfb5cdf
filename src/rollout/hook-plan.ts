import type { HookName, Hooks } from '../config/hooks.js';
import type { HookStep, PlanStep, RolloutPlan } from './plan-steps.js';

export const hookStepId = (name: HookName, host?: string): string => `hook:${name}${host ? `:${host}` : ''}`;

function hookStep(hooks: Hooks, name: HookName, host: string | undefined, dependsOn: string[]): HookStep {
  const spec = hooks[name]!;
  return {
    id: hookStepId(name, host),
    kind: 'hook',
    hook: name,
    ...(host ? { host } : {}),
    command: spec.command,
    timeoutSeconds: spec.timeoutSeconds,
    cause: `runs \`${spec.command}\` on this machine, timeout ${spec.timeoutSeconds} s`,
    dependsOn,
  };
}

/**
 * Pure: the plan with the inventory's hooks woven in. `pre-upgrade` comes before anything (the pulls), each
 * `pre-host` right before its host's restart, each `post-host` right after it (what waited on the restart waits
 * on the hook), `post-upgrade` after the verification and before the history records success.
 * `owedPostHost` names hosts a resumed run restarted before it was cut off without running their post-host hook.
 */
export function withHooks(plan: RolloutPlan, hooks: Hooks, owedPostHost: string[] = []): RolloutPlan {
  if (plan.steps.length === 0 || Object.keys(hooks).length === 0) return plan;
  const steps: PlanStep[] = [];
  const after = new Map<string, string>();
  const pre = hooks['pre-upgrade'];
  if (pre) steps.push(hookStep(hooks, 'pre-upgrade', undefined, []));
  for (const s of plan.steps) {
    let deps = s.dependsOn.map((d) => after.get(d) ?? d);
    if (pre && deps.length === 0) deps = [hookStepId('pre-upgrade')];
    if (s.kind === 'restart' && hooks['pre-host']) {
      steps.push(hookStep(hooks, 'pre-host', s.host, deps));
      deps = [hookStepId('pre-host', s.host)];
    }
    if (s.kind === 'verify' && hooks['post-host'] && owedPostHost.length > 0) {
      const owed = owedPostHost.map((h) => hookStep(hooks, 'post-host', h, deps));
      steps.push(...owed);
      deps = owed.map((o) => o.id);
    }
    if (s.kind === 'record' && hooks['post-upgrade']) {
      steps.push(hookStep(hooks, 'post-upgrade', undefined, deps));
      deps = [hookStepId('post-upgrade')];
    }
    steps.push({ ...s, dependsOn: deps });
    if (s.kind === 'restart' && hooks['post-host']) {
      steps.push(hookStep(hooks, 'post-host', s.host, [s.id]));
      after.set(s.id, hookStepId('post-host', s.host));
    }
  }
  return { ...plan, steps };
}

/** Hosts whose restart the run being resumed finished but whose post-host hook it did not, and that the new plan no longer restarts. */
export function owedPostHostHooks(hooks: Hooks, done: Set<string>, plan: RolloutPlan): string[] {
  if (!hooks['post-host']) return [];
  return [...done].flatMap((id) => {
    const host = /^restart:(.+)$/.exec(id)?.[1];
    if (!host || done.has(hookStepId('post-host', host)) || plan.steps.some((s) => s.id === id)) return [];
    return [host];
  });
}
