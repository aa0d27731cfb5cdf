// TarsWeb's target schema is read out of the target image through a container that is created, never started,
// and removed on every path: seen in the master engine's own event log, around a good image and one without the files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { cli, labConfig } from '../support/lab.js';

/** What the engine recorded for the schema-reading containers between `since` and `until` (seconds). */
async function schemaContainerEvents(docker: Docker, since: number, until: number): Promise<string[]> {
  const stream = await docker.getEvents({ since, until, filters: { type: ['container'], label: ['tars-docker.purpose=read-schema'] } });
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { Action: string }).Action.split(':')[0]!);
}

/** An image with nothing at the schema path, under the framework repository's name, built on the master's engine. */
async function imageWithoutSchema(docker: Docker, ref: string): Promise<void> {
  const context = pack();
  context.entry({ name: 'Dockerfile' }, 'FROM scratch\nCOPY note /note\n');
  context.entry({ name: 'note' }, 'no web sql here\n');
  context.finalize();
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: ref });
  await new Promise<void>((ok, fail) => docker.modem.followProgress(stream, (err, out: { error?: string }[]) => {
    const failed = err ?? out.find((o) => o.error)?.error;
    return failed ? fail(new Error(String(failed))) : ok();
  }));
}

describe('the schema container', () => {
  it('is created, never started, and removed, also when the image lacks the files', async () => {
    const config = labConfig();
    const master = config.hosts.find((h) => h.role === 'master');
    assert.ok(master, 'a master in the inventory');
    const conn = await connectEngine(master);
    const missing = `${config.images.framework}:v9.9.8`;
    try {
      await imageWithoutSchema(conn.docker, missing);
      const since = Math.floor(Date.now() / 1000);
      const good = await cli(['migrate', 'plan', '--to', 'v3.0.16']);
      assert.equal(good.code, 0, good.stderr);
      const bad = await cli(['migrate', 'plan', '--to', 'v9.9.8']);
      assert.equal(bad.code, 2, bad.stderr);
      const lines = bad.stderr.trim().split('\n');
      assert.equal(lines.length, 1, bad.stderr);
      assert.match(lines[0]!, new RegExp(`${missing.replace(/\./g, '\\.')} has no /usr/local/tars/cpp/deploy/web/sql/db_tars_web\\.sql`));
      const events = await schemaContainerEvents(conn.docker, since, Math.ceil(Date.now() / 1000) + 1);
      assert.deepEqual(events.filter((e) => e === 'create' || e === 'destroy'), ['create', 'destroy', 'create', 'destroy'], events.join(' '));
      assert.ok(!events.includes('start'), `never started: ${events.join(' ')}`);
      assert.deepEqual(await conn.docker.listContainers({ all: true, filters: { label: ['tars-docker.purpose=read-schema'] } }), []);
    } finally {
      await conn.docker.getImage(missing).remove({ force: true }).catch(() => undefined);
      await conn.close();
    }
  });
});
