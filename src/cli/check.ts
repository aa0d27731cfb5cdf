import { loadConfig } from '../config/load.js';
import { checkCluster, type ImageChoice } from '../cluster/check-cluster.js';
import { ExitCode, InputError, TarsDockerError } from '../errors.js';
import { createRegistryClient } from '../config/registry-client.js';
import { checkExitCode, validatePolicy, type CheckReport, type VersionPolicy } from '../versions/index.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

export interface CheckFlags {
  image: string;
  pre: boolean;
  include?: string;
  exclude?: string;
}

export function policyOf(f: CheckFlags): { choice: ImageChoice; policy: VersionPolicy } {
  if (!['framework', 'node', 'all'].includes(f.image)) throw new InputError(`--image must be framework, node or all (got "${f.image}")`);
  const policy: VersionPolicy = { pre: f.pre, ...(f.include ? { include: f.include } : {}), ...(f.exclude ? { exclude: f.exclude } : {}) };
  validatePolicy(policy);
  return { choice: f.image as ImageChoice, policy };
}

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const { choice, policy } = policyOf(opts as CheckFlags);
  const config = loadConfig(g);
  const { report, unreadable } = await checkCluster(config, createRegistryClient(config), choice, policy);
  if (g.json) setJsonResult(report);
  else printLines(render(report));
  if (unreadable.length > 0) {
    throw new TarsDockerError(`cannot read ${unreadable.map((h) => `${h.name} (${h.error})`).join(', ')}`, ExitCode.failed);
  }
  const why = nothingJudged(report, policy);
  if (why) throw new TarsDockerError(`no host could be compared with the registry: ${why}`, ExitCode.failed);
  return checkExitCode(report);
}

/** "Up to date" is a claim about hosts: when every host is unknown it cannot be made, so say why instead. */
export function nothingJudged(r: CheckReport, policy: VersionPolicy): string | undefined {
  if (r.hosts.length === 0 || r.hosts.some((h) => h.verdict !== 'unknown')) return undefined;
  const filters = [policy.include ? `--include '${policy.include}'` : '', policy.exclude ? `--exclude '${policy.exclude}'` : ''].filter(Boolean).join(' ');
  // A repository without version tags is judged by its moving tags' digests: no policy can leave it short.
  const images = r.images.filter((i) => i.newest === null && (i.tags === 0 || i.versionTags > 0)).map((i) =>
    i.tags === 0 ? `the registry lists no tags for ${i.image}` : `${filters || 'the version policy'} leaves none of the ${i.tags} tags of ${i.image}`);
  return images.length > 0 ? images.join('; ') : [...new Set(r.hosts.map((h) => `${h.name}: ${h.reason}`))].join('; ');
}

export function render(r: CheckReport): string[] {
  return [
    ...r.images.map((i) => `${i.image}: newest ${i.newest ?? '(no version tag)'}${i.digest ? ` ${i.digest.slice(0, 19)}` : ''}`),
    ...r.hosts.map((h) => `  ${h.name.padEnd(10)} ${(h.running ?? '-').padEnd(10)} ${h.verdict}${h.reason ? ` (${h.reason})` : ''}`),
    r.updateAvailable ? 'update available' : r.hosts.length > 0 && r.hosts.every((h) => h.verdict === 'unknown') ? 'no host compared' : 'everything up to date',
  ];
}
