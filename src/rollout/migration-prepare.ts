import type { ClusterSession } from '../cluster/session.js';
import { masterOf } from '../cluster/container-spec.js';
import { planFixedMigration, readSchemaFromImage, type PlannedMigration } from '../db/migrate/migrate.js';
import type { MigrateStep } from './plan-steps.js';

/**
 * The migrate step's plan, read-only: the target schema out of the image the master will run (pulled onto the
 * master first if it is not there, as `migrate plan` does), diffed with the live one. `startedWith`: the plan a
 * resumed run's migrate step had started with; it stays the plan (the step refuses it if the schema moved since),
 * unless the schema already reached the target (finished by `migrate apply`) and nothing is left to apply.
 */
export async function prepareMigration(s: ClusterSession, step: MigrateStep, startedWith?: PlannedMigration): Promise<PlannedMigration> {
  const conn = s.conn(masterOf(s.config));
  if (!(await conn.hasImage(step.image))) await conn.pull(step.image, s.config.registry);
  const schemaFiles = await readSchemaFromImage(conn, step.image);
  const databases = step.databases.map((d) => ({ target: d, live: d }));
  const fresh = await planFixedMigration({ mysql: s.config.mysql, databases, schemaFiles, version: step.version });
  return startedWith && fresh.databases.some((d) => d.steps.length > 0) ? startedWith : fresh;
}
