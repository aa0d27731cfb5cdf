import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DockerHost } from '../../docker/host.js';
import { InputError } from '../../errors.js';
import type { SchemaFiles } from '../migrate/migrate-types.js';
import { TARSWEB_DATABASES } from '../tars-databases.js';

/** Where TarsWeb's schema files live inside the framework image. */
export const IMAGE_SQL_DIR = '/usr/local/tars/cpp/deploy/web/sql';

/** `--schema-dir DIR`: the same files, read from a folder. */
export async function readSchemaDir(dir: string): Promise<SchemaFiles> {
  const files: SchemaFiles = {};
  for (const db of TARSWEB_DATABASES) {
    const file = join(dir, `${db}.sql`);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) files[db] = { file, text };
  }
  if (Object.keys(files).length === 0) throw new InputError(`no db_tars_web.sql or db_user_system.sql in ${dir}`, { file: dir });
  return files;
}

/** The target schema from the target image itself, read without running it. */
export async function readSchemaFromImage(conn: Pick<DockerHost, 'readImageFiles'>, image: string): Promise<SchemaFiles> {
  const paths = TARSWEB_DATABASES.map((db) => `${IMAGE_SQL_DIR}/${db}.sql`);
  const texts = await conn.readImageFiles(image, paths, 'read-schema');
  return Object.fromEntries(TARSWEB_DATABASES.map((db, i) => [db, { file: `${image}:${paths[i]}`, text: texts[i]! }]));
}
