import type Docker from 'dockerode';
import { extract } from 'tar-stream';
import { HostError, InputError, errorMessage } from '../errors.js';
import type { ImageDefaults } from './clone-spec.js';

export interface RestartPolicy {
  Name: string;
  MaximumRetryCount: number;
}

export interface ContainerFacts {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  restarting: boolean;
  startedAt: string;
  /** How often the engine restarted it since it was created: a gate that sees this change saw a crash. */
  restartCount: number;
  labels: Record<string, string>;
  env: string[];
  restartPolicy: RestartPolicy;
}

export async function inspectContainer(docker: Docker, id: string): Promise<ContainerFacts> {
  return factsOf(await docker.getContainer(id).inspect());
}

export function factsOf(info: Docker.ContainerInspectInfo): ContainerFacts {
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    state: info.State.Status,
    restarting: info.State.Restarting,
    startedAt: info.State.StartedAt,
    restartCount: info.RestartCount ?? 0,
    labels: info.Config.Labels ?? {},
    env: info.Config.Env ?? [],
    restartPolicy: { Name: info.HostConfig.RestartPolicy?.Name ?? '', MaximumRetryCount: info.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0 },
  };
}

/** Reads one small file out of a container (running or not) through the archive API; undefined when absent. */
export async function readContainerFile(docker: Docker, id: string, path: string): Promise<string | undefined> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = (await docker.getContainer(id).getArchive({ path })) as NodeJS.ReadableStream;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
  return firstFileOf(archive);
}

/**
 * Reads files out of an image without running it: a container is created (never started, labelled
 * tars-docker.purpose=`purpose` so a leftover can be found) to copy them out, and removed again on every path.
 * The texts come back in the order of `paths`; a path the image lacks is an InputError naming image and path.
 */
export async function readImageFiles(docker: Docker, image: string, paths: readonly string[], purpose: string): Promise<string[]> {
  let container: Docker.Container;
  try {
    // The entrypoint is never run; it only has to exist for images that declare no command.
    container = await docker.createContainer({ Image: image, Entrypoint: ['/bin/true'], Labels: { 'tars-docker.purpose': purpose } });
  } catch (err) {
    throw new HostError('docker', `cannot create a container of ${image} (is the image pulled?): ${errorMessage(err)}`, { cause: err });
  }
  try {
    const texts: string[] = [];
    for (const path of paths) {
      const archive = (await container.getArchive({ path }).catch((err: unknown) => {
        throw new InputError(`${image} has no ${path}: ${errorMessage(err)}`, { file: `${image}:${path}` }, { cause: err });
      })) as NodeJS.ReadableStream;
      const text = await firstFileOf(archive);
      if (text === undefined) throw new InputError(`${image}: ${path} is not a file`, { file: `${image}:${path}` });
      texts.push(text);
    }
    return texts;
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** getArchive answers with a tar stream; a file's archive holds it as its one regular entry. */
async function firstFileOf(archive: NodeJS.ReadableStream): Promise<string | undefined> {
  const tar = extract();
  let text: string | undefined;
  tar.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: unknown) => chunks.push(c as Buffer));
    body.on('end', () => {
      if (header.type === 'file' && text === undefined) text = Buffer.concat(chunks).toString('utf8');
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    tar.on('finish', resolve);
    tar.on('error', reject);
    archive.on('error', reject);
    archive.pipe(tar);
  });
  return text;
}

export async function logTail(docker: Docker, id: string, lines = 20): Promise<string[]> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines })) as Buffer;
  return demux(buf).split('\n').filter((l) => l.trim() !== '');
}

/** Docker multiplexes stdout/stderr of non-tty containers in 8-byte-header frames. */
function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The config an image gives its containers; undefined when the image is gone from the engine. */
export async function imageDefaults(docker: Docker, imageId: string): Promise<ImageDefaults | undefined> {
  try {
    return (await docker.getImage(imageId).inspect()).Config as ImageDefaults;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}
