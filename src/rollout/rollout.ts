import { randomUUID } from 'node:crypto';
import type { ClusterSession } from '../cluster/session.js';
import { observeHosts } from '../cluster/observe.js';
import { enforceGuard } from '../cluster/guard-cluster.js';
import { assertNoConflict } from '../cluster/discover.js';
import type { RegistryClient } from '../registry/index.js';
import type { StepHandlers } from './execute.js';
import { ensureHistoryTable, markAbandoned, recordEnd, recordStart } from './history.js';
import { fileJournal, unfinishedRun, type JournalStore } from './journal.js';
import { runPlan, type PlanView, type RunBook } from './run-plan.js';
import { planRollout, resumePlan } from './plan.js';
import type { RolloutPlan, StepOf } from './plan-steps.js';
import { prepareMigration } from './migration-prepare.js';
import { owedPostHostHooks, withHooks } from './hook-plan.js';
import { assertBackupFolderUsable } from '../db/backup/backup-folder.js';
import { assertDirection, assertDiskSpace, assertTagsExist, assertVersionTag, type PreflightLine } from './preflight.js';
import type { HostOutcome, RunEvents } from './run-events.js';
import { readNodeFacts } from './node-facts.js';
import { runDbNote } from './master-db-changes.js';
import { HostError, InterruptedError, errorMessage } from '../errors.js';
import { settleAll } from '../settle-all.js';

export interface RolloutOptions {
  mode: 'upgrade' | 'rollback';
  to: string;
  batch: number;
  allowDowngrade: boolean;
  healthTimeoutMs: number;
  journalFile: string;
  backupDir: string;
}

export interface PreparedRollout {
  options: RolloutOptions;
  plan: RolloutPlan;
  preflight: PreflightLine[];
  runId: string;
  /** Where the run started: the plan's `from`, or for a resumed run the one its journal recorded. */
  startedFrom: string | null;
  resumed: boolean;
  done: Set<string>;
  details: Map<string, Record<string, unknown>>;
  journal: JournalStore;
}

/** Read-only: guard, reachability (the session), registry tags, direction, disk; then the plan. */
export async function prepareRollout(s: ClusterSession, client: RegistryClient, options: RolloutOptions): Promise<PreparedRollout> {
  assertVersionTag(options.to, '--to');
  const observed = await observeHosts(s.config, [...s.hosts.values()]);
  const unread = observed.find((o) => !o.reachable);
  if (unread) throw new HostError(unread.host.name, `cannot read its containers: ${unread.error ?? 'unreachable'}`);
  assertNoConflict(observed.flatMap((o) => (o.found ? [o.found] : [])));
  const master = observed.find((o) => o.host.role === 'master')!;
  // only the image tag: the inner versions are other version spaces
  const from = master.tag ?? null;
  const journal = fileJournal(options.journalFile);
  // independent reads of the hosts, the registry and MySQL, asked at once; a refusal is the first in this order
  const [, direction, tags, disk, events, nodeFacts] = await settleAll([
    enforceGuard(s.config, [...s.hosts.values()]),
    (async () => assertDirection(from, options.to, options.allowDowngrade || options.mode === 'rollback'))(),
    assertTagsExist(s.config, client, options.to),
    assertDiskSpace(s, s.config.hosts),
    journal.read(),
    readNodeFacts(s, client, observed, options.to),
  ] as const);
  const preflight: PreflightLine[] = [{ check: 'hosts', detail: `${observed.length} reachable, MySQL reachable` }];
  preflight.push(direction, tags, disk);
  const now = Object.fromEntries(observed.map((o) => [o.host.name, o.found ?? { leftovers: [] }]));
  const open = unfinishedRun(events);
  const resumed = open !== undefined && open.to === options.to && open.mode === options.mode;
  const input = { config: s.config, now, from, to: options.to, batch: options.batch, mode: options.mode, ...nodeFacts };
  const first = planRollout(input);
  // the migration is planned only for a migrate step still to run
  const migrate = first.steps.find((st): st is StepOf<'migrate'> => st.kind === 'migrate' && !(resumed && open!.done.has(st.id)));
  const started = migrate !== undefined && resumed && open!.started.has(migrate.id);
  const planned = migrate ? planRollout({ ...input, migration: await prepareMigration(s, migrate, started) }) : first;
  const base = resumed ? resumePlan(planned, s.config) : planned;
  const hooks = s.config.hooks ?? {};
  const plan = withHooks(base, hooks, resumed ? owedPostHostHooks(hooks, open!.done, base) : []);
  if (plan.steps.some((step) => step.kind === 'backup')) {
    await assertBackupFolderUsable(options.backupDir);
    preflight.push({ check: 'backup folder', detail: `${options.backupDir} writable` });
  }
  return {
    options, plan, preflight, journal, resumed,
    runId: resumed ? open!.runId : randomUUID(),
    startedFrom: resumed ? open!.from : plan.from,
    done: resumed ? stillDone(open!.done, plan) : new Set(),
    details: resumed ? open!.details : new Map(),
  };
}

/**
 * What the journal calls done, except restarts of hosts the plan (made from what runs now) still has to move:
 * another operator, a rollback from elsewhere or a reinstall changed them since, and skipping them would leave
 * those hosts behind while the run reports success.
 */
function stillDone(done: Set<string>, plan: RolloutPlan): Set<string> {
  return new Set([...done].filter((id) => plan.steps.find((st) => st.id === id)?.kind !== 'restart'));
}

/**
 * The history row of an upgrade or rollback in MySQL, around the journaled run. A success is the record step's to
 * write; the book writes it only when that step did not run now (a resumed run whose record step was done before).
 */
function historyBook(s: ClusterSession, p: PreparedRollout, events: RunEvents, hosts: readonly HostOutcome[]): RunBook {
  let recorded = false;
  events.subscribe((e) => {
    if (e.type === 'step-done' && e.step.kind === 'record') recorded = true;
  });
  return {
    started: async () => {
      await ensureHistoryTable(s.mysql);
      await markAbandoned(s.mysql, s.config.project, p.runId);
      await recordStart(s.mysql, { runId: p.runId, kind: p.options.mode, project: s.config.project, from: p.plan.from, to: p.plan.to });
    },
    ended: async (err) => {
      if (err === undefined) {
        if (!recorded) await recordEnd(s.mysql, p.runId, 'succeeded', runDbNote(p.details), [...hosts]);
        return 'succeeded';
      }
      const outcome = hosts.some((o) => o.outcome === 'rolled-back') ? 'rolled-back' : 'failed';
      await recordEnd(s.mysql, p.runId, outcome, errorMessage(err), [...hosts]);
      return outcome;
    },
    // the run stays open in the journal, so the same command continues it; history says it was interrupted
    interrupted: async (err) => {
      await recordEnd(s.mysql, p.runId, 'interrupted', err.message, [...hosts]);
      const again = `tars-docker ${p.options.mode}${p.options.mode === 'upgrade' ? ` --to ${p.options.to}` : ''} --resume`;
      return new InterruptedError(`${err.message}; every host is on its old or its new container and healthy; run \`${again}\` to continue`);
    },
  };
}

/**
 * Runs a prepared plan through the one executor (lock, journal), with history in MySQL. `hosts` are the outcomes
 * collected from the run's events so far (the history row carries them).
 */
export async function runRollout(
  s: ClusterSession,
  p: PreparedRollout,
  handlers: StepHandlers,
  run: { events: RunEvents; hosts: readonly HostOutcome[] },
  view: PlanView,
  stop?: AbortSignal,
): Promise<void> {
  await runPlan(s, p, handlers, view, { book: historyBook(s, p, run.events, run.hosts), events: run.events, ...(stop ? { stop } : {}) });
}
