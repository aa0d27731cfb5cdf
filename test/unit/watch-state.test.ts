import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { emptyState, loadState, saveState } from '../../src/watch/state.js';

let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'tars-docker-state-'))));
after(() => rm(dir, { recursive: true, force: true }));

test('a missing file is an empty state', async () => {
  assert.deepEqual(await loadState(join(dir, 'none.json')), emptyState());
});

test('save then load round-trips, creates the directory, leaves no temp file', async () => {
  const file = join(dir, 'sub', 'state.json');
  const state = { ...emptyState(), updatedAt: '2024-01-01T00:00:00.000Z', delivered: { log: ['version|x|v1'] } };
  await saveState(file, state);
  await saveState(file, state);
  assert.deepEqual(await loadState(file), state);
  assert.deepEqual(await readdir(join(dir, 'sub')), ['state.json']);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.ok((await readFile(file, 'utf8')).endsWith('\n'));
});

test('garbage is an input error naming the file', async () => {
  const file = join(dir, 'bad.json');
  await writeFile(file, '{"version": 1, "delivered"');
  await assert.rejects(loadState(file), (e: unknown) => e instanceof InputError && e.message.includes(file));
  await writeFile(file, '{"version": 2, "delivered": {}}');
  await assert.rejects(loadState(file), /unknown layout/);
});
