import type { ClusterSession } from '../cluster/session.js';
import { masterOf } from '../cluster/container-spec.js';
import { planFixedMigration, readSchemaFromImage } from '../db/migrate/migrate.js';
import type { MigrateStep } from './plan-steps.js';
import type { PreparedMigration } from './plan.js';

/**
 * The migrate step's plan, read-only: the target schema out of the image the master will run, diffed with the
 * live one. Planning never pulls (an operator's --dry-run or "no" to the question leaves the hosts as they were):
 * without the image on the master the step plans after the pull step, as `migrate apply` does. A resumed run whose
 * migrate step had started plans at the step too, where the runner finishes what the kill interrupted.
 */
export async function prepareMigration(s: ClusterSession, step: MigrateStep, started: boolean): Promise<PreparedMigration> {
  if (started) return { later: 'planned when the step runs: it finishes the migration a stopped run began' };
  const master = masterOf(s.config);
  const conn = s.conn(master);
  if (!(await conn.hasImage(step.image))) return { later: `planned when the step runs: ${step.image} is not on ${master.name} until the pull` };
  const schemaFiles = await readSchemaFromImage(conn, step.image);
  const databases = step.databases.map((d) => ({ target: d, live: d }));
  return { plan: await planFixedMigration({ mysql: s.config.mysql, databases, schemaFiles, version: step.version }) };
}
