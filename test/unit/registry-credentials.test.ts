import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { credentialsFromDockerConfig } from '../../src/registry/credentials.js';
import { RegistryError } from '../../src/registry/errors.js';
import { redact } from '../../src/redact.js';

let dir: string;
const savedPath = process.env.PATH;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tars-docker-creds-'));
  // Helpers answer per server URL read from stdin, as docker-credential-* do.
  await writeFile(
    join(dir, 'docker-credential-fake'),
    `#!/bin/sh
read server
case "$server" in
  https://index.docker.io/v1/) echo '{"ServerURL":"x","Username":"hubuser","Secret":"hub-secret-1"}' ;;
  reg.example:5000) echo '{"ServerURL":"x","Username":"<token>","Secret":"refresh-token-1"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`,
  );
  await writeFile(join(dir, 'docker-credential-broken'), '#!/bin/sh\necho boom >&2\nexit 3\n');
  await chmod(join(dir, 'docker-credential-fake'), 0o755);
  await chmod(join(dir, 'docker-credential-broken'), 0o755);
  process.env.PATH = `${dir}:${savedPath}`;
});

after(async () => {
  process.env.PATH = savedPath;
  await rm(dir, { recursive: true, force: true });
});

test('inline auths: base64 user:password, keyed by URL or host', async () => {
  const auth = Buffer.from('alice:pa:ss-word').toString('base64');
  const config = { auths: { 'http://10.213.7.1:5001/': { auth }, 'https://index.docker.io/v1/': { auth: Buffer.from('bob:hubpw').toString('base64') } } };
  assert.deepEqual(await credentialsFromDockerConfig(config, '10.213.7.1:5001'), { kind: 'basic', username: 'alice', password: 'pa:ss-word' });
  assert.deepEqual(await credentialsFromDockerConfig(config, 'docker.io'), { kind: 'basic', username: 'bob', password: 'hubpw' });
  assert.equal(await credentialsFromDockerConfig(config, '10.213.7.1:5000'), null);
  assert.equal(redact('pw is pa:ss-word'), 'pw is [REDACTED]');
});

test('credHelpers win, credsStore falls back to auths when the store has nothing', async () => {
  const config = {
    credsStore: 'fake',
    credHelpers: { 'reg.example:5000': 'fake' },
    auths: { 'other.example': { auth: Buffer.from('carol:pw-carol').toString('base64') } },
  };
  assert.deepEqual(await credentialsFromDockerConfig(config, 'docker.io'), { kind: 'basic', username: 'hubuser', password: 'hub-secret-1' });
  assert.deepEqual(await credentialsFromDockerConfig(config, 'reg.example:5000'), { kind: 'identity', token: 'refresh-token-1' });
  assert.deepEqual(await credentialsFromDockerConfig(config, 'other.example'), { kind: 'basic', username: 'carol', password: 'pw-carol' });
  assert.equal(redact('hub-secret-1'), '[REDACTED]');
});

test('a failing or missing helper is one clear registry error', async () => {
  await assert.rejects(credentialsFromDockerConfig({ credsStore: 'broken' }, 'x.example'), (e: unknown) => {
    assert.ok(e instanceof RegistryError);
    assert.match(e.message, /^registry x\.example: credential helper docker-credential-broken exited 3: boom$/);
    return true;
  });
  await assert.rejects(credentialsFromDockerConfig({ credsStore: 'absent' }, 'x.example'), /docker-credential-absent could not run/);
});
