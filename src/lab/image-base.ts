import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type Dockerode from 'dockerode';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { followProgress, imageExists } from './image-progress.js';
import { collectBaseRootfs, type RootfsEntry } from './image-rootfs.js';

export const BASE_REPO = 'tars-lab/base';
/** Bump when the rootfs layout changes in a way the host files' stamps cannot show. */
const BASE_FORMAT = 'tars-lab-base/1';
/** A fixed mtime keeps the layer digest independent of when and where the lab was built. */
const EPOCH = new Date('2020-01-01T00:00:00Z');

export function baseFingerprint(entries: readonly RootfsEntry[]): string {
  const hash = createHash('sha256').update(BASE_FORMAT);
  for (const e of entries) hash.update(`\n${e.path}\0${e.type}\0${e.mode}\0${e.stamp}`);
  return hash.digest('hex').slice(0, 20);
}

/** A deterministic tar of the entries: sorted input, fixed mtime, owner 0:0, no user or group names. */
export function rootfsTar(entries: readonly RootfsEntry[]): Pack {
  const pack = tarPack();
  const header = (e: RootfsEntry): Partial<Header> & { name: string } => ({
    name: e.type === 'directory' ? `${e.path}/` : e.path,
    type: e.type,
    mode: e.mode,
    size: e.size,
    mtime: EPOCH,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
  });
  const write = async (): Promise<void> => {
    for (const e of entries) {
      if (e.type === 'directory' || e.content) {
        await new Promise<void>((resolve, reject) =>
          pack.entry(header(e), e.content ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())),
        );
        continue;
      }
      let finish: () => void = () => {};
      let fail: (err: Error) => void = () => {};
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      const sink = pack.entry(header(e), (err) => (err ? fail(err) : finish()));
      for await (const chunk of createReadStream(e.source!)) {
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
      sink.end(null);
      await done;
    }
    pack.finalize();
  };
  write().catch((err: Error) => pack.destroy(err));
  return pack;
}

/**
 * Imports the base image unless one with the same fingerprint is already there, and returns its reference.
 * Every version image is built FROM it, so they all share its one ~100 MB layer.
 */
export async function ensureBaseImage(docker: Dockerode, nodeModulesDir: string, log: (line: string) => void): Promise<string> {
  const entries = await collectBaseRootfs(nodeModulesDir);
  const tag = baseFingerprint(entries);
  const ref = `${BASE_REPO}:${tag}`;
  if (await imageExists(docker, ref)) {
    log(`base image ${ref} is up to date`);
    return ref;
  }
  const started = Date.now();
  const stream = await docker.importImage(Readable.from(rootfsTar(entries)), {
    repo: BASE_REPO,
    tag,
    changes: ['CMD ["/usr/bin/node"]'],
    message: 'tars-docker lab base: node and its shared libraries',
  });
  await followProgress(docker, stream, `importing ${ref}`);
  log(`imported base image ${ref} (${entries.length} entries) in ${Date.now() - started} ms`);
  return ref;
}
