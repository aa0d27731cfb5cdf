import { ExitCode, type ExitCodeValue } from '../errors.js';
import { familiarName, parseReference, sameRepository, tryParseReference } from '../registry/reference.js';
import type { RateLimit } from '../registry/headers.js';
import { isVersionTag } from './parse.js';
import { newestVersion, type VersionPolicy } from './policy.js';
import { hostVerdict, type Verdict } from './verdict.js';

/** What the registry said about one repository. */
export interface ImageObservation {
  /** Repository as configured: `tarscloud/framework`, `10.213.7.1:5000/tarscloud/framework`. */
  image: string;
  tags: string[];
  /** Registry digest per tag that was asked for (the newest, the tags hosts run, watched moving tags). */
  digests: Record<string, string | null>;
}

/** What Docker said about one host; the CLI reads hosts, this module never talks to Docker. */
export interface HostObservation {
  name: string;
  role?: string;
  /** Reference the container was created from, e.g. `10.213.7.1:5000/tarscloud/framework:v3.0.14`. */
  image: string | null;
  /** The manifest digest the host pulled (from RepoDigests), `sha256:...`. */
  digest?: string | null;
  /** Why the host could not be read; such a host is `unknown`. */
  error?: string;
}

export interface ImageReport {
  image: string;
  newest: string | null;
  digest: string | null;
  /** Number of tags listed, versions or not. */
  tags: number;
  /** How many of them are version tags: none in a repository of moving tags only, such as tarscloud/tars-node. */
  versionTags: number;
  /** Digests of the non-version tags that were asked for: what a moving tag points at now. */
  moving: { tag: string; digest: string | null }[];
}

export interface HostReport {
  name: string;
  role?: string;
  image: string | null;
  running: string | null;
  digest: string | null;
  newest: string | null;
  verdict: Verdict;
  reason: string;
}

export interface CheckReport {
  updateAvailable: boolean;
  images: ImageReport[];
  hosts: HostReport[];
  registry?: { requests: number; rateLimit: RateLimit | null };
}


export function imageReport(obs: ImageObservation, policy: VersionPolicy): ImageReport {
  const newest = newestVersion(obs.tags, policy)?.tag ?? null;
  return {
    image: familiarName(parseReference(obs.image)),
    newest,
    digest: newest === null ? null : (obs.digests[newest] ?? null),
    tags: obs.tags.length,
    versionTags: obs.tags.filter(isVersionTag).length,
    moving: Object.entries(obs.digests)
      .filter(([tag]) => !isVersionTag(tag))
      .map(([tag, digest]) => ({ tag, digest }))
      .sort((a, b) => a.tag.localeCompare(b.tag)),
  };
}

/** Pure: registry observations + host observations + policy → the report `check` prints and `watch` diffs. */
export function buildCheckReport(
  images: ImageObservation[],
  hosts: HostObservation[],
  policy: VersionPolicy = {},
): CheckReport {
  const imageReports = images.map((obs) => ({ obs, ref: parseReference(obs.image), report: imageReport(obs, policy) }));
  const hostReports = hosts.map((host): HostReport => {
    const ref = tryParseReference(host.image);
    const base = { name: host.name, ...(host.role ? { role: host.role } : {}), digest: host.digest ?? null };
    const match = ref ? imageReports.find((i) => sameRepository(i.ref, ref)) : undefined;
    const running = ref?.tag ?? null;
    if (host.error || !ref || !match) {
      const reason =
        host.error ??
        (ref ? `image ${familiarName(ref)} is not one of the checked images` : `image ${host.image ?? '(none)'} not readable`);
      const image = ref ? familiarName(ref) : host.image;
      return { ...base, image, running, newest: match?.report.newest ?? null, verdict: 'unknown', reason };
    }
    const { verdict, reason } = hostVerdict({
      running,
      runningDigest: host.digest ?? null,
      registryDigest: running === null ? null : (match.obs.digests[running] ?? null),
      newest: match.report.newest,
    });
    return { ...base, image: match.report.image, running, newest: match.report.newest, verdict, reason };
  });
  return {
    updateAvailable: hostReports.some((h) => h.verdict === 'behind' || h.verdict === 'moved'),
    images: imageReports.map((i) => i.report),
    hosts: hostReports,
  };
}

/** 10 when some host is behind or runs a moved tag, 0 otherwise; unreadable hosts are the CLI's call (exit 1). */
export function checkExitCode(report: CheckReport): ExitCodeValue {
  return report.updateAvailable ? ExitCode.updateAvailable : ExitCode.ok;
}
