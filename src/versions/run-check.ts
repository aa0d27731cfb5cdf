import type { RegistryClient } from '../registry/client.js';
import { familiarName, parseReference, sameRepository, tryParseReference } from '../registry/reference.js';
import { buildCheckReport, type CheckReport, type HostObservation, type ImageObservation } from './check-report.js';
import { isVersionTag } from './parse.js';
import { newestVersion, validatePolicy, type VersionPolicy } from './policy.js';

export interface CheckInput {
  /** Repositories to check; a tag given here (`tarscloud/tars-node:latest`) is watched as a moving tag. */
  images: string[];
  hosts: HostObservation[];
  policy?: VersionPolicy;
  /** Moving tags to resolve for every image even if no host runs them (so `watch` can see them move). */
  watchTags?: string[];
  signal?: AbortSignal;
}

/**
 * Reads the registry for every image in parallel, then builds the report. Per image: the tag list (one request
 * per page), then one manifest HEAD per tag of interest. Nothing else, and never a blob.
 */
export async function runCheck(client: RegistryClient, input: CheckInput): Promise<CheckReport> {
  const policy = input.policy ?? {};
  validatePolicy(policy);
  const before = client.stats.requests;
  const observations = await Promise.all(input.images.map((image) => observeImage(client, image, input, policy)));
  const report = buildCheckReport(observations, input.hosts, policy);
  report.registry = { requests: client.stats.requests - before, rateLimit: client.stats.rateLimit };
  return report;
}

async function observeImage(
  client: RegistryClient,
  image: string,
  input: CheckInput,
  policy: VersionPolicy,
): Promise<ImageObservation> {
  const ref = parseReference(image);
  const tags = await client.listTags(ref, input.signal);
  const listed = new Set(tags);
  const wanted = new Set<string>();
  const newest = newestVersion(tags, policy);
  if (newest) wanted.add(newest.tag);
  if (ref.tag && !isVersionTag(ref.tag)) wanted.add(ref.tag);
  for (const tag of input.watchTags ?? []) wanted.add(tag);
  for (const host of input.hosts) {
    const running = host.image ? tryParseReference(host.image) : null;
    if (running?.tag && sameRepository(running, ref)) wanted.add(running.tag);
  }
  const digests: Record<string, string | null> = {};
  // An unlisted tag has no digest to find; skipping it saves a request that could only 404.
  await Promise.all(
    [...wanted].map(async (tag) => {
      digests[tag] = listed.has(tag) ? await client.digest(ref, tag, input.signal) : null;
    }),
  );
  return { image: familiarName({ registry: ref.registry, repository: ref.repository }), tags, digests };
}

