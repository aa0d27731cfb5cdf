/**
 * Check latency for 1 vs N images/hosts, and registry requests per check. Against a given registry (the lab's)
 * or, by default, a docker-registry it starts on loopback and fills itself.
 *   node --import tsx bench/check.ts [N]
 */
import { pathToFileURL } from 'node:url';
import { RegistryClient, type RegistryClientOptions } from '../src/registry/client.js';
import type { HostObservation } from '../src/versions/check-report.js';
import { runCheck } from '../src/versions/run-check.js';
import { pushImage, startRegistry, type LocalRegistry } from '../test/registry/fixtures.js';

export interface CheckBenchOptions {
  /** Images to query (repositories with registry); default: N repositories in a local registry. */
  images?: string[];
  /** Running tag per host for the mixed case; default v1.0.0..v1.0.{N-1}. */
  hostTags?: string[];
  n?: number;
  iterations?: number;
  client?: Omit<RegistryClientOptions, 'log'>;
}

export interface Measure {
  medianMs: number;
  requests: number;
}

export interface CheckBenchResult {
  n: number;
  iterations: number;
  /** One image, one host, fresh client (as `tars-docker check` runs). */
  oneHost: Measure;
  /** One image, N hosts all on the same tag (a cluster before an upgrade), fresh client. */
  manyHosts: Measure;
  /** One image, N hosts on N different tags: one more manifest HEAD per distinct tag, run concurrently. */
  manyHostsMixed: Measure;
  /** N images queried concurrently, one host each, fresh client. */
  manyImages: Measure;
  /** As manyHosts with the client reused (as `watch` runs): the auth probe and tokens are cached. */
  warmManyHosts: Measure;
}

async function measure(
  iterations: number,
  fresh: boolean,
  opts: RegistryClientOptions,
  run: (c: RegistryClient) => Promise<unknown>,
): Promise<Measure> {
  const times: number[] = [];
  let requests = 0;
  const shared = new RegistryClient(opts);
  if (!fresh) await run(shared);
  for (let i = 0; i < iterations; i++) {
    const client = fresh ? new RegistryClient(opts) : shared;
    client.resetStats();
    const t0 = performance.now();
    await run(client);
    times.push(performance.now() - t0);
    requests = client.stats.requests;
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10, requests };
}

export async function benchCheck(options: CheckBenchOptions = {}): Promise<CheckBenchResult> {
  const n = options.n ?? 8;
  const iterations = options.iterations ?? 15;
  let local: LocalRegistry | null = null;
  let images = options.images;
  const hostTags = options.hostTags ?? Array.from({ length: n }, (_, i) => `v1.0.${i}`);
  if (!images) {
    local = await startRegistry();
    images = [];
    for (let i = 0; i < n; i++) {
      const repo = `bench/app${i}`;
      for (const tag of [...hostTags, 'v2.0.0', 'latest']) await pushImage(local, repo, tag, `${repo}:${tag}`);
      images.push(`${local.host}/${repo}`);
    }
  }
  const opts: RegistryClientOptions = { dockerConfig: false, ...options.client };
  const first = images[0]!;
  const on = (image: string, tags: string[]): HostObservation[] =>
    tags.map((t, i) => ({ name: `host-${i}`, image: `${image}:${t}` }));
  const sameTag = hostTags.map(() => hostTags[0]!);
  const oneEach = images.map((img, i) => ({ name: `host-${i}`, image: `${img}:${hostTags[i % hostTags.length]!}` }));
  const check = (imgs: string[], hosts: HostObservation[]) => (c: RegistryClient) =>
    runCheck(c, { images: imgs, hosts });
  try {
    return {
      n,
      iterations,
      oneHost: await measure(iterations, true, opts, check([first], on(first, hostTags.slice(0, 1)))),
      manyHosts: await measure(iterations, true, opts, check([first], on(first, sameTag))),
      manyHostsMixed: await measure(iterations, true, opts, check([first], on(first, hostTags))),
      manyImages: await measure(iterations, true, opts, check(images, oneEach)),
      warmManyHosts: await measure(iterations, false, opts, check([first], on(first, sameTag))),
    };
  } finally {
    await local?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 8);
  console.log(JSON.stringify(await benchCheck({ n }), null, 2));
}
