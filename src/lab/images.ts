import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { BASE_REPO, ensureBaseImage } from './image-base.js';
import { contextHash, contextTar, frameworkContext, nodeContext, type ContextFile } from './image-context.js';
import { ensureTag, followProgress, imageExists, splitRef } from './image-progress.js';
import { pushIfChanged, type LabRegistry, type RegistryAuth } from './image-push.js';
import { LAB_FRAMEWORK_REPO, LAB_NODE_ALIASES, LAB_NODE_FLAVOURS, LAB_NODE_REPO, LAB_NODE_TAGS, LAB_VERSIONS } from './image-versions.js';
import type { LabInfra, Log } from './types.js';

export * from './image-versions.js';
export type { LabRegistry, RegistryAuth } from './image-push.js';

/** Built images are also tagged by the hash of their build context, which is how a rebuild knows to skip. */
const BUILD_REPO = 'tars-lab/build';
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface BuildLabImagesOptions {
  /** The engine that builds; it pushes too, so it must reach the registries (loopback ones are insecure by default, others need --insecure-registry). */
  docker: Dockerode;
  /** `host:port` of each registry every tag is pushed to, e.g. ['10.213.7.1:5000', '10.213.7.1:5001']. */
  registries: ReadonlyArray<string | LabRegistry>;
  /** Credentials for every registry given as a string after the first (the lab's second, authenticated one). */
  auth?: RegistryAuth;
  log?: (line: string) => void;
  /** Defaults to LAB_VERSIONS. */
  versions?: readonly string[];
  imagesDir?: string;
  nodeModulesDir?: string;
}

export interface LabImages {
  /** Repositories without registry: pull `${registry}/${framework}:${version}`. Locally they exist unqualified too. */
  framework: string;
  node: string;
  /** Framework tags, lowest first (the bad release included). */
  versions: string[];
  /** Node tags: the flavours, plus stable and latest (the full flavour); never a version. */
  nodeTags: string[];
  /** The shared base image in the build engine. */
  base: string;
  /** Local references built this call (empty when nothing changed). */
  built: string[];
  /** `registry/repo:tag` references pushed this call. */
  pushed: string[];
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Builds `target` from `files` unless an image of the same context hash exists; true when it built. */
async function ensureBuilt(docker: Dockerode, files: ContextFile[], target: string): Promise<boolean> {
  const cache = `${BUILD_REPO}:${contextHash(files)}`;
  if (!(await imageExists(docker, cache))) {
    // the classic builder: it builds FROM a local image offline, where BuildKit would try to resolve it remotely
    const stream = await docker.buildImage(Readable.from([await contextTar(files)]), { t: target, version: '1', rm: true, forcerm: true });
    await followProgress(docker, stream, `building ${target}`);
    await docker.getImage(target).tag(splitRef(cache));
    return true;
  }
  await ensureTag(docker, cache, target);
  return false;
}

function registryList(opts: BuildLabImagesOptions): LabRegistry[] {
  return opts.registries.map((r, i) =>
    typeof r !== 'string' ? r : i > 0 && opts.auth ? { address: r, auth: opts.auth } : { address: r },
  );
}

/** Drops build and base tags of earlier contents, so repeated lab builds do not fill the disk. */
async function pruneStale(docker: Dockerode, keep: Set<string>): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [`${BUILD_REPO}:*`, `${BASE_REPO}:*`] } });
  for (const tag of images.flatMap((i) => i.RepoTags ?? [])) {
    if (!keep.has(tag)) await docker.getImage(tag).remove().catch(() => undefined);
  }
}

/**
 * Builds the lab's stand-in images (framework at every lab version, tars-node per flavour with stable and latest)
 * on `docker` and pushes every tag to each registry. Unchanged images are neither rebuilt nor pushed again.
 */
export async function buildLabImages(opts: BuildLabImagesOptions): Promise<LabImages> {
  const log = opts.log ?? (() => {});
  const imagesDir = opts.imagesDir ?? `${projectRoot}images`;
  const versions = [...(opts.versions ?? LAB_VERSIONS)];
  const { docker } = opts;
  const started = Date.now();
  const base = await ensureBaseImage(docker, opts.nodeModulesDir ?? `${projectRoot}node_modules`, log);

  const builds: Array<[string, ContextFile[]]> = [
    ...versions.map((v): [string, ContextFile[]] => [`${LAB_FRAMEWORK_REPO}:${v}`, frameworkContext(imagesDir, v, base)]),
    ...LAB_NODE_FLAVOURS.map((f): [string, ContextFile[]] => [`${LAB_NODE_REPO}:${f}`, nodeContext(imagesDir, f, base)]),
  ];
  const built: string[] = [];
  await mapLimit(builds, 4, async ([target, files]) => {
    if (await ensureBuilt(docker, files, target)) built.push(target);
  });
  for (const alias of LAB_NODE_ALIASES) await ensureTag(docker, `${LAB_NODE_REPO}:full`, `${LAB_NODE_REPO}:${alias}`);
  if (built.length > 0) log(`built ${built.join(', ')}`);
  // a partial build must not drop the cache of the versions it left out
  if (built.length > 0 && !opts.versions) {
    await pruneStale(docker, new Set([base, ...builds.map(([, files]) => `${BUILD_REPO}:${contextHash(files)}`)]));
  }

  const nodeTags = [...LAB_NODE_TAGS];
  const pushed: string[] = [];
  const push = async (registry: LabRegistry, repo: string, tag: string): Promise<void> => {
    if ((await pushIfChanged(docker, registry, `${repo}:${tag}`, repo, tag)) === 'pushed') {
      pushed.push(`${registry.address}/${repo}:${tag}`);
    }
  };
  const registries = registryList(opts);
  await Promise.all(
    registries.map(async (registry) => {
      // Concurrent pushes would each compress and upload the shared 100 MB base layer; one push first puts it
      // in the framework repository, the node repository then mounts it, and the rest only send small layers.
      const [first, ...rest] = [
        ...versions.map((tag) => ({ repo: LAB_FRAMEWORK_REPO, tag })),
        ...nodeTags.map((tag) => ({ repo: LAB_NODE_REPO, tag })),
      ];
      await push(registry, first!.repo, first!.tag);
      await mapLimit(rest, 2, ({ repo, tag }) => push(registry, repo, tag));
    }),
  );
  const jobs = registries.length * (versions.length + nodeTags.length);
  log(`lab images ready in ${Date.now() - started} ms: ${built.length} built, ${pushed.length} pushed, ${jobs - pushed.length} already in the registries`);
  return { framework: LAB_FRAMEWORK_REPO, node: LAB_NODE_REPO, versions, nodeTags, base, built, pushed };
}

/** `lab up`'s build: on the lab's own build engine, pushed to both of its registries. */
export function buildImagesForLab(infra: LabInfra, log: Log): Promise<LabImages> {
  const { registry } = infra;
  return buildLabImages({
    docker: new Dockerode({ socketPath: infra.buildSocket }),
    registries: [registry.plain, registry.auth],
    auth: { username: registry.username, password: registry.password },
    log,
  });
}
