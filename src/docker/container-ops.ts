import type Docker from 'dockerode';
import { cloneSpec } from './clone-spec.js';
import { imageDefaults, type RestartPolicy } from './containers.js';

const notFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

/** Creates (never starts) a container like `sourceId` with `image` under `name`, on all of its networks. */
export async function createClone(docker: Docker, sourceId: string, image: string, name: string): Promise<string> {
  const source = await docker.getContainer(sourceId).inspect();
  const spec = cloneSpec(source, await imageDefaults(docker, source.Image), image, name);
  const created = await docker.createContainer(spec.create);
  try {
    for (const n of spec.connect) await docker.getNetwork(n.network).connect({ Container: created.id, EndpointConfig: n.endpoint });
  } catch (err) {
    await created.remove({ force: true }).catch(() => {});
    throw err;
  }
  return created.id;
}

/** The container's id under `name`, or undefined. */
export async function idByName(docker: Docker, name: string): Promise<string | undefined> {
  try {
    return (await docker.getContainer(name).inspect()).Id;
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

/** Force-removes, with the container's anonymous volumes when asked; one that is gone counts as removed. */
export async function removeIfPresent(docker: Docker, idOrName: string, volumes = false): Promise<void> {
  await docker.getContainer(idOrName).remove({ force: true, ...(volumes ? { v: true } : {}) }).catch((err) => {
    if (!notFound(err)) throw err;
  });
}

/** Stops a running container, giving it its own stop timeout (or `defaultSeconds`). */
export async function stopIfRunning(docker: Docker, id: string, defaultSeconds: number): Promise<void> {
  const info = await docker.getContainer(id).inspect();
  if (!info.State.Running && !info.State.Restarting) return;
  const own = (info.Config as { StopTimeout?: number }).StopTimeout;
  await docker.getContainer(id).stop({ t: own ?? defaultSeconds }).catch((err) => {
    // 304: it stopped meanwhile
    if ((err as { statusCode?: number }).statusCode !== 304) throw err;
  });
}

export async function renameIfNeeded(docker: Docker, id: string, name: string): Promise<void> {
  const info = await docker.getContainer(id).inspect();
  if (info.Name.replace(/^\//, '') !== name) await docker.getContainer(id).rename({ name });
}

/** A kept container must not come back by itself (engine restart, `always`): it would take the host's ports. */
export async function setRestartPolicy(docker: Docker, id: string, policy: RestartPolicy): Promise<void> {
  await docker.getContainer(id).update({ RestartPolicy: policy });
}

export async function startIfNotRunning(docker: Docker, id: string): Promise<void> {
  const info = await docker.getContainer(id).inspect();
  if (info.State.Running) return;
  await docker.getContainer(id).start().catch((err) => {
    if ((err as { statusCode?: number }).statusCode !== 304) throw err;
  });
}
