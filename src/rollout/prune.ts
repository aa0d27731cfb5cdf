import type mysql from 'mysql2/promise';
import type { Config, HostConfig } from '../config/types.js';
import { connectHost } from '../docker/connect.js';
import { TarsDockerError, errorMessage } from '../errors.js';
import { withConnection } from '../db/connection.js';
import { readHistory, rollbackTarget } from './history.js';
import { acquireRolloutLock } from './lock.js';
import { planPrune, type PruneHostPlan } from './prune-plan.js';

export const DEFAULT_KEEP = 2;

export interface PruneOptions {
  keep: number;
  dryRun: boolean;
}

export interface PruneHostResult {
  host: string;
  plan?: PruneHostPlan;
  /** Ids of the images whose Tars references were removed (all of `plan.remove` when the host did not fail). */
  removed: string[];
  error?: string;
}

export interface PruneReport {
  rollbackTags: string[];
  dryRun: boolean;
  hosts: PruneHostResult[];
}

/** Hosts that share one engine are pruned once, under all their names. */
function engines(hosts: HostConfig[]): { label: string; host: HostConfig }[] {
  const byUrl = new Map<string, HostConfig[]>();
  for (const h of hosts) byUrl.set(h.docker.url, [...(byUrl.get(h.docker.url) ?? []), h]);
  return [...byUrl.values()].map((group) => ({ label: group.map((h) => h.name).join('+'), host: group[0]! }));
}

async function pruneEngine(config: Config, label: string, host: HostConfig, rollbackTags: string[], o: PruneOptions): Promise<PruneHostResult> {
  const result: PruneHostResult = { host: label, removed: [] };
  let conn;
  try {
    conn = await connectHost(host);
    const known = { framework: config.images.framework, node: config.images.node, project: config.project };
    const [images, containers] = await Promise.all([conn.tarsImages(known), conn.containerImages()]);
    result.plan = planPrune({ host: label, images, containers, rollbackTags, keep: o.keep });
    if (o.dryRun) return result;
    for (const image of result.plan.remove) {
      // By reference, never forced: a container that uses the image (one that appeared since the plan) makes
      // the engine refuse, and the host fails with its message instead of losing what a rollback needs.
      for (const ref of image.refs) {
        try {
          await conn.removeImage(ref);
        } catch (err) {
          throw new Error(`cannot remove ${ref}: ${errorMessage(err)}`);
        }
      }
      result.removed.push(image.id);
    }
  } catch (err) {
    // connectHost's errors already name the host
    result.error = err instanceof TarsDockerError && err.context.host ? err.message : `${label}: ${errorMessage(err)}`;
  } finally {
    await conn?.close();
  }
  return result;
}

async function pruneWith(db: mysql.Connection, config: Config, o: PruneOptions): Promise<PruneReport> {
  const target = rollbackTarget(await readHistory(db, config.project));
  const rollbackTags = target ? [target] : [];
  // Not while a rollout runs: it may have pulled an image no container uses yet.
  const release = o.dryRun ? async () => {} : await acquireRolloutLock(db, config.project);
  try {
    const hosts = await Promise.all(engines(config.hosts).map((e) => pruneEngine(config, e.label, e.host, rollbackTags, o)));
    return { rollbackTags, dryRun: o.dryRun, hosts };
  } finally {
    await release();
  }
}

/** Every engine in parallel; a host that fails is recorded in its result and the others are still pruned. */
export function pruneCluster(config: Config, o: PruneOptions): Promise<PruneReport> {
  return withConnection(config.mysql, (db) => pruneWith(db, config, o), { values: 'native' });
}
