import type Dockerode from 'dockerode';

interface ProgressEvent {
  error?: string;
  errorDetail?: { message?: string };
  stream?: string;
}

/**
 * Waits for a build, import or push stream to end. The Engine answers 200 and reports failures inside the
 * stream, so they have to be looked for in every event.
 */
export function followProgress(docker: Dockerode, stream: NodeJS.ReadableStream, what: string): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: ProgressEvent[]) => {
      if (err) return reject(new Error(`${what}: ${err.message}`, { cause: err }));
      const failed = events.find((e) => e.error || e.errorDetail);
      if (failed) return reject(new Error(`${what}: ${failed.errorDetail?.message ?? failed.error}`));
      resolve(events);
    });
  });
}

export async function imageExists(docker: Dockerode, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Tags `source` as `ref` unless it already is: a tag rewrites the engine's repositories file, an inspect does not. */
export async function ensureTag(docker: Dockerode, source: string, ref: string): Promise<void> {
  const [want, have] = await Promise.all([
    docker.getImage(source).inspect(),
    docker.getImage(ref).inspect().catch(() => undefined),
  ]);
  if (have?.Id !== want.Id) await docker.getImage(source).tag(splitRef(ref));
}

export function splitRef(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  if (at <= ref.lastIndexOf('/')) return { repo: ref, tag: 'latest' };
  return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
}
