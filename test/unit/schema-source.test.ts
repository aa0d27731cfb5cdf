import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { pack } from 'tar-stream';
import { engineHost } from '../../src/docker/engine-host.js';
import { HostError, InputError } from '../../src/errors.js';
import { IMAGE_SQL_DIR, readSchemaFromImage } from '../../src/db/schema/schema-source.js';

function tarOf(name: string, body: string): NodeJS.ReadableStream {
  const p = pack();
  p.entry({ name, type: 'file' }, body);
  p.finalize();
  return p as unknown as NodeJS.ReadableStream;
}

/** Just enough of dockerode, under the real DockerHost: records what was created, started and removed. */
function fakeDocker(files: Record<string, string>, opts: { createFails?: boolean } = {}) {
  const calls: string[] = [];
  const docker = {
    async createContainer(spec: { Image: string }) {
      calls.push(`create ${spec.Image}`);
      if (opts.createFails) throw new Error('No such image');
      return {
        async start() { calls.push('start'); },
        async getArchive({ path }: { path: string }) {
          calls.push(`get ${path}`);
          const body = files[path];
          if (body === undefined) throw new Error('(HTTP code 404) no such file');
          return tarOf(path.split('/').pop()!, body);
        },
        async remove() { calls.push('remove'); },
      };
    },
  };
  const host = engineHost({ name: 'h1', url: 'unix:///fake.sock', docker: docker as unknown as Dockerode, composeEnv: {}, close: async () => {} });
  return { host, calls };
}

describe('readSchemaFromImage', () => {
  it('copies both files out of a created (never started) container and removes it', async () => {
    const { host, calls } = fakeDocker({
      [`${IMAGE_SQL_DIR}/db_tars_web.sql`]: 'CREATE TABLE a (x int);',
      [`${IMAGE_SQL_DIR}/db_user_system.sql`]: 'CREATE TABLE 用户 (x int);',
    });
    const files = await readSchemaFromImage(host, 'tarscloud/framework:v3.0.16');
    assert.equal(files.db_tars_web?.text, 'CREATE TABLE a (x int);');
    assert.equal(files.db_user_system?.text, 'CREATE TABLE 用户 (x int);');
    assert.equal(files.db_user_system?.file, `tarscloud/framework:v3.0.16:${IMAGE_SQL_DIR}/db_user_system.sql`);
    assert.deepEqual(calls, ['create tarscloud/framework:v3.0.16', `get ${IMAGE_SQL_DIR}/db_tars_web.sql`, `get ${IMAGE_SQL_DIR}/db_user_system.sql`, 'remove']);
  });

  it('removes the container when a file is missing', async () => {
    const { host, calls } = fakeDocker({ [`${IMAGE_SQL_DIR}/db_tars_web.sql`]: 'x' });
    await assert.rejects(readSchemaFromImage(host, 'img:1'), (err: unknown) => err instanceof InputError && /img:1 has no .*db_user_system\.sql/.test(err.message));
    assert.equal(calls.at(-1), 'remove');
    assert.ok(!calls.includes('start'));
  });

  it('says so when the container cannot be created', async () => {
    const { host } = fakeDocker({}, { createFails: true });
    await assert.rejects(readSchemaFromImage(host, 'img:2'), (err: unknown) => err instanceof HostError && /img:2 \(is the image pulled\?\)/.test(err.message));
  });
});
