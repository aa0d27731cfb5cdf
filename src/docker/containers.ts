import type Docker from 'dockerode';
import { extract } from 'tar-stream';
import type { ImageDefaults } from './clone-spec.js';

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
  restartPolicy: { Name: string; MaximumRetryCount: number };
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
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.getContainer(id).getArchive({ path })) as NodeJS.ReadableStream;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
  return new Promise((ok, fail) => {
    const tar = extract();
    let content: string | undefined;
    tar.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c) => chunks.push(c as Buffer));
      body.on('end', () => {
        if (header.type === 'file' && content === undefined) content = Buffer.concat(chunks).toString('utf8');
        next();
      });
    });
    tar.on('finish', () => ok(content));
    tar.on('error', fail);
    stream.pipe(tar);
  });
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
