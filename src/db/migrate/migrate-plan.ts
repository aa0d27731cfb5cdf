import { InputError } from '../../errors.js';
import type { DbConnection } from '../connection.js';
import { withConnection } from '../connection.js';
import { introspectDatabase } from '../schema/introspect.js';
import type { MigrateInput, MigrationPlan, SchemaFiles } from './migrate-types.js';
import type { TarsWebDatabase } from '../tars-databases.js';
import type { DatabasePlan } from './plan-types.js';
import { schemaFingerprint, type PlannedDatabase, type PlannedMigration } from './planned.js';
import { diffDatabase } from '../schema/schema-diff.js';
import { readServerInfo } from '../server-info.js';
import { parseSchemaFile, type ParsedSchemaFile } from '../sql/sql-parser.js';

/** Parses the schema files the input needs, up front, so a syntax error stops everything before any I/O. */
export function parseTargets(input: Pick<MigrateInput, 'databases' | 'schemaFiles'>): Map<TarsWebDatabase, ParsedSchemaFile> {
  const parsed = new Map<TarsWebDatabase, ParsedSchemaFile>();
  if (input.databases.length === 0) throw new InputError('no database to migrate');
  const lives = input.databases.map((d) => d.live);
  const twice = lives.find((name, i) => lives.indexOf(name) !== i);
  if (twice) throw new InputError(`database ${twice} is listed twice`);
  for (const { target } of input.databases) {
    if (parsed.has(target)) continue;
    const file = (input.schemaFiles as SchemaFiles)[target];
    if (!file) throw new InputError(`no schema file for ${target}`);
    parsed.set(target, parseSchemaFile(file.text, file.file));
  }
  return parsed;
}

export async function planDatabase(conn: DbConnection, target: TarsWebDatabase, live: string, schema: ParsedSchemaFile): Promise<DatabasePlan> {
  return (await planAgainst(conn, target, live, schema)).plan;
}

/** The plan and the fingerprint of the live schema it was diffed from, read in one introspection. */
export async function planAgainst(
  conn: DbConnection, target: TarsWebDatabase, live: string, schema: ParsedSchemaFile,
): Promise<{ plan: DatabasePlan; against: string }> {
  const now = await introspectDatabase(conn, live);
  return { plan: diffDatabase(schema, now, { target, live }, await readServerInfo(conn)), against: schemaFingerprint(now) };
}

/** What `apply` would do: reads information_schema only, writes nothing, takes no lock. */
export async function planMigration(input: MigrateInput): Promise<MigrationPlan> {
  const targets = parseTargets(input);
  return withConnection(input.mysql, async (conn) => {
    const databases: DatabasePlan[] = [];
    for (const ref of input.databases) databases.push(await planDatabase(conn, ref.target, ref.live, targets.get(ref.target)!));
    return { version: input.version, databases };
  });
}

/** The same read-only plan, fixed for a later run: each database carries what its live schema was. */
export async function planFixedMigration(input: MigrateInput): Promise<PlannedMigration> {
  const targets = parseTargets(input);
  return withConnection(input.mysql, async (conn) => {
    const databases: PlannedDatabase[] = [];
    for (const ref of input.databases) {
      const { plan, against } = await planAgainst(conn, ref.target, ref.live, targets.get(ref.target)!);
      databases.push({ ...plan, against });
    }
    return { version: input.version, databases };
  });
}
