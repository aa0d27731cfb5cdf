import type Docker from 'dockerode';
import { tryParseReference, type ImageReference } from '../registry/reference.js';
import { keptSummary } from './clone-spec.js';
import { factsOf, imageDefaults, type ContainerFacts } from './containers.js';
import { LABEL } from './labels.js';

export type TarsKind = 'framework' | 'node';
/** Who made a container: tars-docker (its labels), the operator's own compose file, or a plain `docker run`. */
export type Origin = 'tars-docker' | 'compose' | 'hand';

export interface TarsContainer extends ContainerFacts {
  kind: TarsKind;
  /** Framework only: SLAVE=true in its env. */
  slave: boolean;
  origin: Origin;
  /** The compose files that made it (com.docker.compose.project.config_files), when made by compose. */
  composeFiles: string[];
  running: boolean;
  /** What a clone of it keeps (mounts, networks, ports, restart policy, env names), for the plan. */
  keeps: string[];
}

export interface KnownImages {
  /** The configured repositories (FRAMEWORK_IMAGE, NODE_IMAGE), any registry. */
  framework: string;
  node: string;
  project: string;
}

const STOCK = { framework: 'tarscloud/framework', node: 'tarscloud/tars-node' } as const;

function envValue(env: string[], key: string): string | undefined {
  const hit = env.find((e) => e.startsWith(`${key}=`));
  return hit === undefined ? undefined : hit.slice(key.length + 1);
}

/** The one repository matcher: the configured repository, or the stock one under any registry prefix. */
export function repoKind(image: ImageReference | null, known: KnownImages): TarsKind | undefined {
  if (!image) return undefined;
  for (const kind of ['framework', 'node'] as const) {
    const configured = tryParseReference(known[kind]);
    if (configured && configured.registry === image.registry && configured.repository === image.repository) return kind;
    // the stock repository under any registry or mirror prefix (docker.tarsyun.com/tarscloud/framework, harbor/x/tarscloud/framework)
    if (image.repository === STOCK[kind] || image.repository.endsWith(`/${STOCK[kind]}`)) return kind;
  }
  return undefined;
}

/**
 * Pure: is this a Tars container, and which kind. By its image repository first; failing that (an image id, a
 * private rebuild) by the env contract: WEB_HOST makes a node, MYSQL_HOST with SLAVE/INET/REBUILD a framework.
 */
export function tarsKind(c: Pick<ContainerFacts, 'image' | 'env' | 'labels'>, known: KnownImages): TarsKind | undefined {
  const role = c.labels[LABEL.project] === known.project ? c.labels[LABEL.role] : undefined;
  if (role) return role === 'node' ? 'node' : 'framework';
  const byRepo = repoKind(tryParseReference(c.image), known);
  if (byRepo) return byRepo;
  if (envValue(c.env, 'WEB_HOST') !== undefined) return 'node';
  const framework = envValue(c.env, 'MYSQL_HOST') !== undefined && ['SLAVE', 'INET', 'REBUILD'].some((k) => envValue(c.env, k) !== undefined);
  return framework ? 'framework' : undefined;
}

export function originOf(labels: Record<string, string>, project: string): { origin: Origin; composeFiles: string[] } {
  const composeFiles = (labels['com.docker.compose.project.config_files'] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  if (labels[LABEL.project] === project) return { origin: 'tars-docker', composeFiles };
  return { origin: composeFiles.length || labels['com.docker.compose.project'] ? 'compose' : 'hand', composeFiles };
}

/** Every Tars container on one engine, labelled or not, running or stopped. */
export async function listTarsContainers(docker: Docker, known: KnownImages): Promise<TarsContainer[]> {
  const list = await docker.listContainers({ all: true });
  const out: TarsContainer[] = [];
  for (const entry of list) {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await docker.getContainer(entry.Id).inspect();
    } catch (err) {
      // removed between the list and the inspect
      if ((err as { statusCode?: number }).statusCode === 404) continue;
      throw err;
    }
    const facts = factsOf(info);
    const kind = tarsKind(facts, known);
    if (!kind) continue;
    out.push({
      ...facts,
      keeps: keptSummary(info, await imageDefaults(docker, info.Image)),
      kind,
      slave: kind === 'framework' && /^true$/i.test(envValue(facts.env, 'SLAVE') ?? ''),
      ...originOf(facts.labels, known.project),
      running: facts.state === 'running' || facts.restarting,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export { envValue };
