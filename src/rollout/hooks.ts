import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { Config } from '../config/types.js';
import type { HookName, HookSpec } from '../config/hooks.js';
import { ExitCode, TarsDockerError } from '../errors.js';
import { redact } from '../redact.js';
import type { StepHandler } from './execute.js';
import type { RolloutPlan } from './plan-steps.js';

/** Env keys that carry secrets in tars-docker's own configuration; a hook never inherits them. */
const SECRET_KEYS = ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD', 'REGISTRY_PASSWORD'];

export interface HookContext {
  name: HookName;
  runId: string;
  mode: RolloutPlan['mode'];
  from: string | null;
  to: string;
  host?: { name: string; role: string; address: string };
}

/**
 * Pure: the hook's environment. tars-docker's own, without the secret keys and without any variable holding one
 * of the configured secrets, plus the TARS_DOCKER_* facts of the run.
 */
export function hookEnv(base: NodeJS.ProcessEnv, secrets: string[], ctx: HookContext): Record<string, string> {
  const known = secrets.filter((s) => s.length > 0);
  // A short secret ("root") inside a value is too likely a coincidence (HOME=/root) to drop the variable for it.
  const holds = (v: string) => known.some((s) => v === s || (s.length >= 6 && v.includes(s)));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || SECRET_KEYS.includes(k) || holds(v)) continue;
    env[k] = v;
  }
  return {
    ...env,
    TARS_DOCKER_HOOK: ctx.name,
    TARS_DOCKER_RUN_ID: ctx.runId,
    TARS_DOCKER_MODE: ctx.mode,
    TARS_DOCKER_FROM: ctx.from ?? '',
    TARS_DOCKER_TO: ctx.to,
    TARS_DOCKER_HOST: ctx.host?.name ?? '',
    TARS_DOCKER_HOST_ROLE: ctx.host?.role ?? '',
    TARS_DOCKER_HOST_ADDRESS: ctx.host?.address ?? '',
  };
}

export interface HookResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The hook's stdout and stderr lines, redacted. */
  lines: string[];
}

/** Grace a timed-out hook gets between SIGTERM and SIGKILL (to its whole process group). */
const KILL_GRACE_MS = 5_000;

/** Runs one hook under /bin/sh in its own process group; a timeout ends the whole group. */
export function runHookCommand(spec: HookSpec, cwd: string, env: Record<string, string>, onLine: (line: string) => void): Promise<HookResult> {
  return new Promise((done, fail) => {
    const child = spawn('/bin/sh', ['-c', spec.command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let timedOut = false;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // the group is gone already
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }, spec.timeoutSeconds * 1000);
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop()!;
        for (const l of parts) take(l);
      });
      stream.on('end', () => partial && take(partial));
    }
    function take(raw: string): void {
      const line = redact(raw.replace(/\r$/, ''));
      lines.push(line);
      onLine(line);
    }
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      done({ code, signal, timedOut, lines });
    });
  });
}

/** What a failed hook's line says happened to the cluster. */
function consequence(ctx: HookContext): string {
  switch (ctx.name) {
    case 'pre-upgrade':
      return `nothing was changed; the ${ctx.mode} did not start`;
    case 'pre-host':
      return `${ctx.host!.name} was not touched; the ${ctx.mode} stopped before it`;
    case 'post-host':
      return `${ctx.host!.name} runs ${ctx.to} and is healthy; the ${ctx.mode} stopped after it`;
    case 'post-upgrade':
      return `every host runs ${ctx.to}`;
  }
}

function failure(spec: HookSpec, r: HookResult): string {
  if (r.timedOut) return `timed out after ${spec.timeoutSeconds} s`;
  if (r.signal) return `killed by ${r.signal}`;
  return `exit code ${r.code}`;
}

/** The step handler of `hook` steps: runs the inventory's command with the run's facts in its env. */
export function hookHandler(config: Config, plan: RolloutPlan, run: { runId: string; startedFrom: string | null }): StepHandler<'hook'> {
  return async (step, progress) => {
    const name = step.hook;
    const spec = config.hooks?.[name];
    if (!spec) throw new TarsDockerError(`plan step ${step.id}: the inventory has no hooks.${name} (any more)`);
    const host = step.host ? config.hosts.find((h) => h.name === step.host) : undefined;
    const ctx: HookContext = { name, runId: run.runId, mode: plan.mode, from: run.startedFrom, to: plan.to, ...(host ? { host } : {}) };
    const secrets = [config.mysql.password, config.registry.password ?? ''];
    const r = await runHookCommand(spec, dirname(config.inventoryFile), hookEnv(process.env, secrets, ctx), progress).catch((err: Error) => {
      throw new TarsDockerError(`hook ${name}${host ? ` for ${host.name}` : ''} could not start: ${err.message}; ${consequence(ctx)}`, ExitCode.failed, { step: step.id, ...(host ? { host: host.name } : {}) });
    });
    if (r.code === 0 && !r.timedOut) return { exitCode: 0 };
    const last = r.lines.filter((l) => l.trim()).pop();
    const said = last ? `: ${last.trim().slice(0, 200)}` : '';
    const msg = `hook ${name}${host ? ` for ${host.name}` : ''} failed (${failure(spec, r)})${said}; ${consequence(ctx)}`;
    throw new TarsDockerError(msg, ExitCode.failed, { step: step.id, ...(host ? { host: host.name } : {}) });
  };
}
