// A new "release" of a moving tars-node tag, as TarsCloud's workflows make one: the same tag re-pushed with a new
// digest. The image config gets a release label (so the digest is new) and every layer is mounted, not uploaded.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

const ACCEPT = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

interface Manifest {
  config: { digest: string; size: number; mediaType: string };
  layers: { digest: string }[];
}

/** Re-pushes `registry/repo:tag` as a new image labelled `release`; returns its manifest digest. */
export async function pushNodeRelease(registry: string, repo: string, tag: string, release: string): Promise<string> {
  const got = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { headers: { accept: ACCEPT } });
  assert.equal(got.status, 200, `${repo}:${tag} in ${registry}`);
  const type = got.headers.get('content-type')!;
  const manifest = (await got.json()) as Manifest;
  const blob = await fetch(`http://${registry}/v2/${repo}/blobs/${manifest.config.digest}`);
  const config = (await blob.json()) as { config: { Labels?: Record<string, string> | null } };
  config.config.Labels = { ...(config.config.Labels ?? {}), 'io.tars-lab.release': release };
  const body = Buffer.from(JSON.stringify(config));
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  assert.equal(start.status, 202, `start an upload into ${repo}`);
  const location = new URL(start.headers.get('location')!, `http://${registry}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
  assert.equal(put.status, 201, `upload the new config of ${repo}:${tag}`);
  const next = { ...manifest, config: { ...manifest.config, digest, size: body.length } };
  const pushed = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': type }, body: JSON.stringify(next) });
  assert.equal(pushed.status, 201, `put ${repo}:${tag}`);
  return pushed.headers.get('docker-content-digest')!;
}
