import type Docker from 'dockerode';
import type { RegistryConfig } from '../config/types.js';
import { HostError, errorMessage } from '../errors.js';
import type { EngineConnection } from './engine-connection.js';

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

/**
 * Pulls `image` on one host's engine and reports downloaded bytes of all layers as they arrive. Any failure is a
 * HostError naming host and image (exit 1): the engine answered, but it or the registry behind it could not
 * deliver, which may pass; a tag that does not exist is bad input only where it is checked in the registry before
 * anything runs (as upgrade and rollback do).
 */
export async function pullImage(
  host: Pick<EngineConnection, 'name' | 'docker'>,
  image: string,
  registry: RegistryConfig,
  onBytes: (done: number, total: number) => void = () => {},
): Promise<void> {
  try {
    await pull(host.docker, image, registry, onBytes);
  } catch (err) {
    throw new HostError(host.name, `cannot pull ${image}: ${errorMessage(err)}`, { cause: err });
  }
}

async function pull(docker: Docker, image: string, registry: RegistryConfig, onBytes: (done: number, total: number) => void): Promise<void> {
  const auth = registry.username ? { authconfig: { username: registry.username, password: registry.password ?? '' } } : {};
  const stream = await docker.pull(image, auth);
  const layers = new Map<string, { current: number; total: number }>();
  await new Promise<void>((ok, fail) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: PullEvent[]) => {
        const failed = err ?? events.find((e) => e.error);
        if (failed) fail(new Error(failed instanceof Error ? failed.message : String((failed as PullEvent).error)));
        else ok();
      },
      (e: PullEvent) => {
        if (!e.id || !e.progressDetail?.total || e.status !== 'Downloading') return;
        layers.set(e.id, { current: e.progressDetail.current ?? 0, total: e.progressDetail.total });
        let done = 0;
        let total = 0;
        for (const l of layers.values()) {
          done += l.current;
          total += l.total;
        }
        onBytes(done, total);
      },
    );
  });
}

export async function hasImage(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Pull progress as a person reads it, for any step's progress line. */
export function megabytes(progress: (detail: string) => void): (done: number, total: number) => void {
  return (done, total) => progress(`${(done / 1e6).toFixed(1)} / ${(total / 1e6).toFixed(1)} MB`);
}
