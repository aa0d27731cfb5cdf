import type { DockerHost } from '../docker/host.js';
import { isVersionTag, short } from '../versions/index.js';

// Both files live in the framework image; they hold TarsFramework's and TarsWeb's own versions, which are
// other version spaces than the image tag: shown beside it, never compared with it.
export const FRAMEWORK_VERSION_FILE = '/usr/local/tars/cpp/deploy/FRAMEWORK_VERSION.txt';
export const WEB_PACKAGE_FILE = '/usr/local/tars/cpp/deploy/web/package.json';

export interface InnerVersions {
  frameworkVersion?: string;
  webVersion?: string;
}

const VERSION_LIKE = /^v?\d+\.\d+(\.\d+)?[\w.+-]*$/;

function versionLike(value: unknown): string | undefined {
  const s = typeof value === 'string' ? value.trim() : '';
  return VERSION_LIKE.test(s) ? s : undefined;
}

/** FRAMEWORK_VERSION.txt: one version without a `v`; an empty or odd file counts as none. */
export function parseFrameworkVersionFile(text: string | undefined): string | undefined {
  return versionLike(text);
}

/** TarsWeb's package.json: its `version`; unreadable JSON counts as none. */
export function parseWebPackage(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return versionLike((JSON.parse(text) as { version?: unknown }).version);
  } catch {
    return undefined;
  }
}

/**
 * The body of `GET /web_version`: `{webVersion, frameworkVersion}` from TarsWeb 2.4.16, a plain string (the web
 * version, bare or JSON-quoted) before.
 */
export function parseWebVersionAnswer(body: string): InnerVersions {
  let value: unknown = body.trim();
  try {
    value = JSON.parse(body);
  } catch {
    // not JSON: the plain string of an older TarsWeb
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const webVersion = versionLike(o.webVersion);
    const frameworkVersion = versionLike(o.frameworkVersion);
    return { ...(webVersion ? { webVersion } : {}), ...(frameworkVersion ? { frameworkVersion } : {}) };
  }
  const webVersion = versionLike(value);
  return webVersion ? { webVersion } : {};
}

/** The name of what a host runs: its tag when that is a version tag, else `tag@digest` (a moving tag like latest). */
export function versionLabel(tag: string | undefined, digest: string | undefined): string | undefined {
  if (tag && isVersionTag(tag)) return tag;
  if (!digest) return tag;
  return `${tag ?? ''}@${short(digest)}`;
}

/** `v3.0.16 (framework 3.0.12, web 3.0.12)`, `latest@sha256:… (tarsnode 3.0.12)`; only what is known is named. */
export function describeVersion(
  label: string,
  inner: { frameworkVersion?: string | null; webVersion?: string | null; tarsnodeVersion?: string | null },
): string {
  const parts = [
    ...(inner.frameworkVersion ? [`framework ${inner.frameworkVersion}`] : []),
    ...(inner.webVersion ? [`web ${inner.webVersion}`] : []),
    ...(inner.tarsnodeVersion ? [`tarsnode ${inner.tarsnodeVersion}`] : []),
  ];
  return parts.length ? `${label} (${parts.join(', ')})` : label;
}

/** Both files out of a framework container (running or not); a missing file is a missing version. */
export async function readInnerVersions(conn: Pick<DockerHost, 'readContainerFile'>, containerId: string): Promise<InnerVersions> {
  const read = (path: string) => conn.readContainerFile(containerId, path).catch(() => undefined);
  const [fw, pkg] = await Promise.all([read(FRAMEWORK_VERSION_FILE), read(WEB_PACKAGE_FILE)]);
  const frameworkVersion = parseFrameworkVersionFile(fw);
  const webVersion = parseWebPackage(pkg);
  return { ...(frameworkVersion ? { frameworkVersion } : {}), ...(webVersion ? { webVersion } : {}) };
}
