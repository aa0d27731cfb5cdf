import type { ClusterSession } from '../cluster/session.js';
import { containerSpec, masterOf } from '../cluster/container-spec.js';
import { readHeartbeats } from '../cluster/heartbeats.js';
import { HEARTBEAT_FRESH_SECONDS } from '../cluster/health.js';
import { discoverHost } from '../cluster/discover.js';
import { megabytes, pullImage } from '../docker/pull.js';
import { HostError, TarsDockerError, errorMessage } from '../errors.js';
import { createBackup } from '../db/backup.js';
import { applyMigration, readSchemaFromImage } from '../db/migrate.js';
import { describeMigrateEvent } from '../db/migrate-events.js';
import { BACKUP_DATABASES, TARSWEB_DATABASES } from '../db/tars-databases.js';
import { existingDatabases } from '../db/introspect.js';
import type { StepHandlers } from './execute.js';
import { recordEnd } from './history.js';
import { hookHandler } from './hooks.js';
import { restartHost, type HostOutcome } from './host-restart.js';
import type { PlanStep } from './plan.js';
import type { PreparedRollout } from './rollout.js';
import { rowCounts, lostRows } from './row-counts.js';

/** The real effect of each plan step on the cluster; chosen per step kind by the executor. */
export function rolloutHandlers(s: ClusterSession, p: PreparedRollout, outcomes: HostOutcome[]): StepHandlers {
  const hostOf = (step: PlanStep) => s.config.hosts.find((h) => h.name === step.host)!;
  return {
    pull: async (step, progress) => {
      const host = hostOf(step);
      await pullImage(s.conn(host), step.target, s.config.registry, megabytes(progress));
    },
    backup: async (_step, progress) => {
      const present = await existingDatabases(s.mysql, BACKUP_DATABASES);
      const manifest = await createBackup(s.config.mysql, {
        backupDir: p.options.backupDir,
        databases: present,
        onTable: (db, t) => progress(`${db}.${t.name}: ${t.rows} rows`),
      });
      return { backupId: manifest.id, rows: await rowCounts(s.mysql, present) };
    },
    migrate: async (step, progress) => {
      const master = masterOf(s.config);
      // the image the master's restart will run (the plan's data), else the configured one at the target version
      const image = p.plan.steps.find((st) => st.host === master.name && st.restart)?.restart?.image ?? containerSpec(s.config, master, step.target).image;
      const schemaFiles = await readSchemaFromImage(s.conn(master).docker, image);
      const result = await applyMigration(
        { mysql: s.config.mysql, databases: TARSWEB_DATABASES.map((d) => ({ target: d, live: d })), schemaFiles, version: step.target },
        { backupDir: p.options.backupDir, onEvent: (e) => progress(describeMigrateEvent(e)) },
      );
      if (!result.ok) throw new TarsDockerError(`migration to ${step.target} did not verify; backup ${result.backup?.id ?? '(none)'} holds the data before it`);
      const applied = result.databases.reduce((n, d) => n + d.applied.length, 0);
      return { applied, backupId: result.backup?.id ?? null };
    },
    restart: async (step) => {
      if (!step.restart) throw new TarsDockerError(`plan step ${step.id} carries no restart data`);
      const host = hostOf(step);
      // An engine that stops answering mid-restart surfaces as a bare socket error: name the host it belongs to.
      await restartHost(s, host, step.restart, p.options.healthTimeoutMs, outcomes).catch((err: unknown) => {
        throw err instanceof TarsDockerError ? err : new HostError(host.name, `Docker at ${host.docker.url} failed during the restart: ${errorMessage(err)}`);
      });
    },
    verify: async (_step, _progress, details) => {
      const behind: string[] = [];
      for (const h of s.config.hosts) {
        const found = await discoverHost(s.config, h, s.conn(h));
        const c = found.current;
        const want = p.plan.steps.find((st) => st.id === `restart:${h.name}`)?.restart?.image ?? containerSpec(s.config, h, p.plan.to).image;
        if (found.conflict) behind.push(found.conflict);
        else if (c?.image !== want || c.state !== 'running') behind.push(`${h.name} (${c ? `${c.state} ${c.image}` : 'no container'})`);
      }
      if (behind.length) throw new TarsDockerError(`after the rollout not every host runs ${p.plan.to}: ${behind.join(', ')}`);
      const beats = await readHeartbeats(s.mysql);
      const stale = s.config.hosts.filter((h) => {
        const age = (h.role === 'node' ? beats.node : beats.registry).get(h.address);
        return age === undefined || age > HEARTBEAT_FRESH_SECONDS;
      });
      if (stale.length) throw new TarsDockerError(`after the rollout no fresh heartbeat from ${stale.map((h) => h.name).join(', ')}`);
      const before = details.get('backup')?.rows as Record<string, number> | undefined;
      if (before) {
        const lost = lostRows(before, await rowCounts(s.mysql, Object.keys(before).map((k) => k.split('.')[0]!)));
        if (lost.length) {
          throw new TarsDockerError(`rows lost in ${lost.join(', ')}; backup ${String(details.get('backup')?.backupId)} holds them`);
        }
      }
    },
    record: async () => {
      await recordEnd(s.mysql, p.runId, 'succeeded', null, outcomes);
    },
    hook: hookHandler(s.config, p.plan, p),
  };
}
