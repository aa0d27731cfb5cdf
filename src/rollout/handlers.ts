import type { ClusterSession } from '../cluster/session.js';
import { readHeartbeats } from '../cluster/heartbeats.js';
import { HEARTBEAT_FRESH_SECONDS } from '../cluster/health.js';
import { discoverHost } from '../cluster/discover.js';
import { megabytes } from '../docker/pull.js';
import { HostError, TarsDockerError, errorMessage } from '../errors.js';
import { createBackup } from '../db/backup/backup.js';
import { applyMigration, readSchemaFromImage } from '../db/migrate/migrate.js';
import { describeMigrateEvent } from '../db/migrate/migrate-events.js';
import { existingDatabases } from '../db/schema/introspect.js';
import type { Expiries } from '../db/self-expiring.js';
import type { StepHandler, StepHandlers } from './execute.js';
import { recordEnd } from './history.js';
import { hookHandler } from './hooks.js';
import { restartHost } from './host-restart.js';
import type { HostOutcome, RunListener } from './run-events.js';
import { columnsBeforeMasterStart, describeMasterDbChanges, masterDbChanges, masterDbNote, runDbNote } from './master-db-changes.js';
import type { PlanStep } from './plan-steps.js';
import type { PreparedRollout } from './rollout.js';
import { expiringRows, lostRows, lostUnexpired, rowCounts } from './row-counts.js';

/** Shared by every plan that brings an image to a host first. */
export function pullHandler(s: ClusterSession): StepHandler<'pull'> {
  return async (step, progress) => {
    const host = s.config.hosts.find((h) => h.name === step.host)!;
    await s.conn(host).pull(step.image, s.config.registry, megabytes(progress));
  };
}

/**
 * The real effect of each plan step on the cluster; chosen per step kind by the executor. A restart tells its
 * host's outcome as an event; `hosts` is what the run collected of them so far, for the history row.
 */
export function rolloutHandlers(s: ClusterSession, p: PreparedRollout, run: { emit: RunListener; hosts: readonly HostOutcome[] }): StepHandlers {
  const hostOf = (step: PlanStep & { host: string }) => s.config.hosts.find((h) => h.name === step.host)!;
  return {
    pull: pullHandler(s),
    backup: async (step, progress) => {
      const present = await existingDatabases(s.mysql, step.databases);
      const manifest = await createBackup(s.config.mysql, {
        backupDir: p.options.backupDir,
        databases: present,
        onTable: (db, t) => progress(`${db}.${t.name}: ${t.rows} rows`),
      });
      return { backupId: manifest.id, rows: await rowCounts(s.mysql, present), expiring: await expiringRows(s.mysql, present) };
    },
    migrate: async (step, progress) => {
      const master = s.config.hosts.find((h) => h.role === 'master')!;
      const schemaFiles = await readSchemaFromImage(s.conn(master), step.image);
      const result = await applyMigration(
        { mysql: s.config.mysql, databases: step.databases.map((d) => ({ target: d, live: d })), schemaFiles, version: step.version },
        { backupDir: p.options.backupDir, onEvent: (e) => progress(describeMigrateEvent(e)), ...(step.plan ? { planned: step.plan } : {}) },
      );
      if (!result.ok) throw new TarsDockerError(`migration to ${step.version} did not verify; backup ${result.backup?.id ?? '(none)'} holds the data before it`);
      const applied = result.databases.reduce((n, d) => n + d.applied.length, 0);
      return { applied, backupId: result.backup?.id ?? null };
    },
    restart: async (step, progress, details) => {
      const host = hostOf(step);
      // the master's start alters the databases on its own: compare their columns around it
      const before = host.role === 'master' ? await columnsBeforeMasterStart(s.mysql) : undefined;
      const compare = async () => {
        const backup = { dir: p.options.backupDir, id: (details.get('backup')?.backupId as string | undefined) ?? null };
        return masterDbChanges(s.mysql, s.config.mysql, before!, backup);
      };
      // An engine that stops answering mid-restart surfaces as a bare socket error: name the host it belongs to.
      await restartHost(s, host, step.restart, p.options.healthTimeoutMs, (outcome) => run.emit({ type: 'host-outcome', outcome })).catch(async (err: unknown) => {
        const failure = err instanceof TarsDockerError ? err : new HostError(host.name, `Docker at ${host.docker.url} failed during the restart: ${errorMessage(err)}`);
        // the new master may have altered the databases before it failed: the error says so
        const note = before ? masterDbNote(await compare().catch(() => undefined)) : null;
        if (note) failure.message += `; ${note}`;
        throw failure;
      });
      if (!before) return;
      const masterDb = await compare();
      describeMasterDbChanges(masterDb).forEach(progress);
      return { masterDb };
    },
    verify: async (step, _progress, details) => {
      // every host at once: at dozens of hosts one after another is most of the step
      const behind = (await Promise.all(step.expect.map(async ({ host: name, image: want }) => {
        const h = s.config.hosts.find((x) => x.name === name)!;
        const found = await discoverHost(s.config, h, s.conn(h));
        const c = found.current;
        if (found.conflict) return [found.conflict];
        return c?.image !== want || c.state !== 'running' ? [`${h.name} (${c ? `${c.state} ${c.image}` : 'no container'})`] : [];
      }))).flat();
      if (behind.length) throw new TarsDockerError(`after the rollout not every host runs ${step.version}: ${behind.join(', ')}`);
      const beats = await readHeartbeats(s.mysql);
      const stale = s.config.hosts.filter((h) => {
        const age = (h.role === 'node' ? beats.node : beats.registry).get(h.address);
        return age === undefined || age > HEARTBEAT_FRESH_SECONDS;
      });
      if (stale.length) throw new TarsDockerError(`after the rollout no fresh heartbeat from ${stale.map((h) => h.name).join(', ')}`);
      const before = details.get('backup')?.rows as Record<string, number> | undefined;
      if (before) {
        const expiring = details.get('backup')?.expiring as Record<string, Expiries> | undefined;
        const lost = [
          ...lostRows(before, await rowCounts(s.mysql, Object.keys(before).map((k) => k.split('.')[0]!))),
          ...(await lostUnexpired(s.mysql, expiring)),
        ];
        if (lost.length) {
          throw new TarsDockerError(`rows lost in ${lost.join(', ')}; backup ${String(details.get('backup')?.backupId)} holds them`);
        }
      }
    },
    record: async (_step, _progress, details) => {
      await recordEnd(s.mysql, p.runId, 'succeeded', runDbNote(details), [...run.hosts]);
    },
    hook: hookHandler(s.config, p.plan, p),
  };
}
