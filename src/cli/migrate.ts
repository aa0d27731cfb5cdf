import { containerSpec, masterOf } from '../cluster/container-spec.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import { createRegistryClient } from '../config/registry-client.js';
import { parseReference } from '../registry/reference.js';
import { defaultBackupDir } from '../cluster/state-dir.js';
import { targetSchema } from '../cluster/target-schema.js';
import { applyMigration, planMigration, renderPlan, verifyMigration } from '../db/migrate/migrate.js';
import { discardLine } from '../db/migrate/migrate-events.js';
import type { MigrateEvent, MigrateInput } from '../db/migrate/migrate-types.js';
import { TARSWEB_DATABASES, type TarsWebDatabase } from '../db/tars-databases.js';
import { namesOf } from './repeatable.js';
import { ExitCode, InputError, TarsDockerError } from '../errors.js';
import { assertVersionTag } from '../rollout/preflight.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

interface MigrateFlags {
  to: string;
  db?: string;
  schemaDir?: string;
  backupDir?: string;
}

async function input(g: GlobalOptions, f: MigrateFlags): Promise<{ input: MigrateInput; backupDir: string }> {
  assertVersionTag(f.to, '--to');
  const names = namesOf(f.db ?? TARSWEB_DATABASES.join(','));
  if (names.length === 0) throw new InputError('--db names no database to migrate', { key: 'db' });
  const bad = names.find((d) => !TARSWEB_DATABASES.includes(d as TarsWebDatabase));
  if (bad) throw new InputError(`--db: ${bad} is not one of ${TARSWEB_DATABASES.join(', ')}`);
  const config = loadConfig(g);
  if (!f.schemaDir) await assertTargetImage(config, f.to);
  const schemaFiles = await targetSchema(config, f.to, f.schemaDir);
  const databases = names.map((d) => ({ target: d as TarsWebDatabase, live: d }));
  return { input: { mysql: config.mysql, databases, schemaFiles, version: f.to }, backupDir: f.backupDir ?? defaultBackupDir(config) };
}

/**
 * A tag the registry does not have is bad input, said as `upgrade` says it, not a pull's HTTP 404 — unless the
 * image is already on the master's engine, which is where the schema is read from. A registry that cannot be
 * asked proves nothing either, so the schema read goes ahead.
 */
async function assertTargetImage(config: Config, to: string): Promise<void> {
  const master = masterOf(config);
  const image = containerSpec(config, master, to).image;
  const ref = parseReference(image);
  const digest = await createRegistryClient(config).digest(ref, ref.tag!).catch(() => undefined);
  if (digest !== null) return;
  const conn = await connectHost(master);
  try {
    if (await conn.hasImage(image)) return;
  } finally {
    await conn.close();
  }
  throw new InputError(`--to ${to}: ${image} does not exist in the registry (no such tag ${ref.tag})`, { key: 'to' });
}

export async function runPlan([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { input: i } = await input(g, opts as MigrateFlags);
  const plan = await planMigration(i);
  if (g.json) setJsonResult(plan);
  else printLines(renderPlan(plan));
  return ExitCode.ok;
}

export async function runApply([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { input: i, backupDir } = await input(g, opts as MigrateFlags);
  const discarded: Extract<MigrateEvent, { type: 'discarding' }>[] = [];
  const result = await applyMigration(i, {
    backupDir,
    onEvent: (e) => {
      if (e.type === 'discarding') discarded.push(e);
      if (g.json) return;
      if (e.type === 'discarding') process.stderr.write(`${discardLine(e)}\n`);
      if (e.type === 'step-started') process.stderr.write(`${e.database}: ${e.step.id}\n`);
    },
  });
  if (g.json) setJsonResult({ ...result, discarded });
  else {
    printLines([
      result.backup ? `backup ${result.backup.id} in ${backupDir}` : 'no backup needed (nothing to change)',
      ...result.databases.map((d) => `${d.live}: ${d.applied.length} applied, ${d.resumed.length} resumed, ${d.plan.findings.length} findings kept as they are`),
      result.ok ? 'verified: rows and checksums unchanged, schema at target' : 'VERIFY FAILED',
    ]);
  }
  if (!result.ok) throw new TarsDockerError(`migration to ${i.version} did not verify; the backup ${result.backup?.id ?? ''} holds the data before it`);
  return ExitCode.ok;
}

export async function runVerify([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as MigrateFlags;
  const { input: i, backupDir } = await input(g, f);
  const result = await verifyMigration(i, { backupDir });
  if (g.json) setJsonResult(result);
  else {
    printLines(
      result.databases.map(
        (d) => `${d.live}: ${d.remainingSteps.length} safe changes missing, ${d.findings.length} kept differences${d.data ? `, ${d.data.length} data mismatches against backup ${d.backupId}` : ''}`,
      ),
    );
  }
  return result.ok ? ExitCode.ok : ExitCode.failed;
}
