import type { Config } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import { readSchemaDir, readSchemaFromImage } from '../db/migrate/migrate.js';
import type { SchemaFiles } from '../db/migrate/migrate-types.js';
import { containerSpec, masterOf } from './container-spec.js';

/** TarsWeb's schema files of version `to`: from a folder when given, else out of the target image on the master host. */
export async function targetSchema(config: Config, to: string, schemaDir?: string): Promise<SchemaFiles> {
  if (schemaDir) return readSchemaDir(schemaDir);
  const master = masterOf(config);
  const image = containerSpec(config, master, to).image;
  const conn = await connectHost(master);
  try {
    if (!(await conn.hasImage(image))) await conn.pull(image, config.registry);
    return await readSchemaFromImage(conn, image);
  } finally {
    await conn.close();
  }
}
