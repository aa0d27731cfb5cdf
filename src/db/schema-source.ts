import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { extract } from 'tar-stream';
import { HostError, InputError, errorMessage } from '../errors.js';
import type { SchemaFiles } from './migrate-types.js';
import { TARSWEB_DATABASES } from './tars-databases.js';

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

/**
 * The target schema from the target image itself: a container is created (never started) to copy the files out,
 * and removed again on every path.
 */
export async function readSchemaFromImage(docker: Dockerode, image: string): Promise<SchemaFiles> {
  let container: Dockerode.Container;
  try {
    // The entrypoint is never run; it only has to exist for images that declare no command.
    container = await docker.createContainer({ Image: image, Entrypoint: ['/bin/true'], Labels: { 'tars-docker.purpose': 'read-schema' } });
  } catch (err) {
    throw new HostError('docker', `cannot create a container of ${image} (is the image pulled?): ${errorMessage(err)}`, { cause: err });
  }
  try {
    const files: SchemaFiles = {};
    for (const db of TARSWEB_DATABASES) {
      const path = `${IMAGE_SQL_DIR}/${db}.sql`;
      const archive = await container.getArchive({ path }).catch((err: unknown) => {
        throw new InputError(`${image} has no ${path}: ${errorMessage(err)}`, { file: `${image}:${path}` }, { cause: err });
      });
      files[db] = { file: `${image}:${path}`, text: await firstFileOf(archive) };
    }
    return files;
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** getArchive answers with a tar stream; the schema file is its one regular entry. */
async function firstFileOf(archive: NodeJS.ReadableStream): Promise<string> {
  const tar = extract();
  let text: string | undefined;
  tar.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => { if (header.type === 'file' && text === undefined) chunks.push(c as Buffer); });
    stream.on('end', () => {
      if (header.type === 'file' && text === undefined) text = Buffer.concat(chunks).toString('utf8');
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    tar.on('finish', resolve);
    tar.on('error', reject);
    archive.on('error', reject);
    archive.pipe(tar);
  });
  if (text === undefined) throw new InputError('the archive from the image holds no file');
  return text;
}
