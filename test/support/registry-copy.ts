// Tags in the lab's plain registry under repositories of a test's own, made from the stand-in images without
// pulling or pushing a layer (blobs are mounted across repositories), so a test can move a tag deliberately.
import assert from 'node:assert/strict';

const ACCEPT = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

/** Makes `registry/dst:dstTag` the same image as `registry/src:srcTag`; returns its manifest digest. */
export async function copyTag(registry: string, src: string, srcTag: string, dst: string, dstTag: string): Promise<string> {
  const got = await fetch(`http://${registry}/v2/${src}/manifests/${srcTag}`, { headers: { accept: ACCEPT } });
  assert.equal(got.status, 200, `${src}:${srcTag} in ${registry}`);
  const type = got.headers.get('content-type')!;
  const body = Buffer.from(await got.arrayBuffer());
  const manifest = JSON.parse(body.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  for (const digest of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const mounted = await fetch(`http://${registry}/v2/${dst}/blobs/uploads/?mount=${digest}&from=${src}`, { method: 'POST' });
    assert.equal(mounted.status, 201, `mount ${digest} into ${dst}`);
  }
  const put = await fetch(`http://${registry}/v2/${dst}/manifests/${dstTag}`, { method: 'PUT', headers: { 'content-type': type }, body });
  assert.equal(put.status, 201, `put ${dst}:${dstTag}`);
  return put.headers.get('docker-content-digest')!;
}
