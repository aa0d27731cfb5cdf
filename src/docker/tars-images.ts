import type Docker from 'dockerode';
import { tryParseReference } from '../registry/reference.js';
import { repoKind, type KnownImages } from './tars-containers.js';

/** One local reference of an image, split the way prune groups it. */
export interface ImageRef {
  /** Everything before the tag, registry included: the group "the N newest per repository" counts in. */
  repository: string;
  tag: string;
}

/** A Tars image on one engine (only its Tars references). */
export interface TarsImage {
  id: string;
  refs: ImageRef[];
  /** Seconds since the epoch, as the engine reports it. */
  created: number;
}

/** `repo:tag` as the engine lists it, split at the tag (a registry port has a colon too). */
function splitTag(repoTag: string): ImageRef | undefined {
  const colon = repoTag.lastIndexOf(':');
  if (colon <= repoTag.lastIndexOf('/')) return undefined;
  return { repository: repoTag.slice(0, colon), tag: repoTag.slice(colon + 1) };
}

/** The engine's images with a reference in a Tars repository, as discovery recognises them; other references are left out. */
export async function listTarsImages(docker: Docker, known: KnownImages): Promise<TarsImage[]> {
  const list = await docker.listImages();
  return list.flatMap((image) => {
    const refs = (image.RepoTags ?? [])
      .filter((t) => t !== '<none>:<none>' && repoKind(tryParseReference(t), known))
      .flatMap((t) => splitTag(t) ?? []);
    return refs.length ? [{ id: image.Id, refs, created: image.Created }] : [];
  });
}

/** A container of the engine, with the image id that keeps its image in use. */
export interface ContainerImage {
  name: string;
  imageId: string;
}

/** Every container of the engine, running or stopped, with the image id it holds on to. */
export async function containerImages(docker: Docker): Promise<ContainerImage[]> {
  const list = await docker.listContainers({ all: true });
  return list.map((c) => ({ name: (c.Names[0] ?? c.Id).replace(/^\//, ''), imageId: c.ImageID }));
}
