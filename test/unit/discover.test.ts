import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveHost } from '../../src/cluster/discover.js';
import type { HostConfig } from '../../src/config/types.js';
import { tarsKind } from '../../src/docker/tars-containers.js';
import type { TarsContainer } from '../../src/docker/tars-containers.js';
import { restartSpec } from '../../src/rollout/restart-spec.js';

const engine = { kind: 'unix' as const, url: 'unix:///e.sock', socketPath: '/e.sock' };
const host = (name: string, role: HostConfig['role'], container?: string): HostConfig => ({
  name, role, address: `10.0.0.${name.slice(1)}`, docker: engine, ...(container ? { container } : {}),
});
const c = (name: string, image: string, state = 'running', extra: Partial<TarsContainer> = {}): TarsContainer => ({
  id: `${name}-id`.padEnd(64, '0'), name, image, imageId: 'sha256:x', state, restarting: false, startedAt: '', restartCount: 0,
  labels: {}, env: [], restartPolicy: { Name: 'always', MaximumRetryCount: 0 }, kind: 'framework', slave: false, origin: 'hand',
  composeFiles: [], running: state === 'running', keeps: [], ...extra,
});
const known = { framework: '10.0.0.1:5000/tarscloud/framework', node: '10.0.0.1:5000/tarscloud/tars-node', project: 'tars' };

describe('which containers are Tars containers', () => {
  it('by repository under any registry or mirror prefix, else by the env contract', () => {
    const k = (image: string, env: string[] = []) => tarsKind({ image, env, labels: {} }, known);
    assert.equal(k('tarscloud/framework:v3.0.15'), 'framework');
    assert.equal(k('docker.tarsyun.com/tarscloud/framework:v3.0.15'), 'framework');
    assert.equal(k('harbor.local/mirror/tarscloud/tars-node:latest'), 'node');
    assert.equal(k('10.0.0.1:5000/tarscloud/framework:v3.0.16'), 'framework');
    assert.equal(k('sha256:abc', ['WEB_HOST=http://m:3000']), 'node');
    assert.equal(k('my/tars:1', ['MYSQL_HOST=db', 'SLAVE=false']), 'framework');
    assert.equal(k('mysql:5.6', ['MYSQL_ROOT_PASSWORD=x']), undefined);
    assert.equal(k('nginx'), undefined);
  });
});

describe('the container of an inventory host', () => {
  it('the one running Tars container of the engine; stopped leftovers are listed, never chosen', () => {
    const r = resolveHost([c('tars-framework', 'f:v1'), c('old-framework', 'f:v0', 'exited')], host('h1', 'master'), [host('h1', 'master')], 'tars');
    assert.equal(r.current?.name, 'tars-framework');
    assert.deepEqual(r.leftovers.map((x) => x.name), ['old-framework']);
    assert.equal(r.conflict, undefined);
  });

  it('two running where one is expected: a conflict naming both', () => {
    const r = resolveHost([c('tars-framework', 'f:v1'), c('framework', 'f:v1')], host('h1', 'master'), [host('h1', 'master')], 'tars');
    assert.match(r.conflict ?? '', /^h1: tars-framework \(f:v1, running\) and framework \(f:v1, running\) run on unix:\/\/\/e\.sock/);
  });

  it("tars-docker's container stopped and one started by hand in its place: the running one is the host's, no conflict", () => {
    const ours = c('tars-framework', 'f:v1', 'exited', { labels: { 'io.tars-docker.project': 'tars', 'io.tars-docker.host': 'h1' }, origin: 'tars-docker' });
    const r = resolveHost([ours, c('by-hand-master', 'f:v1')], host('h1', 'master'), [host('h1', 'master')], 'tars');
    assert.equal(r.current?.name, 'by-hand-master');
    assert.equal(r.conflict, undefined);
    assert.deepEqual(r.leftovers.map((x) => x.name), ['tars-framework']);
  });

  it('a half-done restart: NAME.next and NAME.previous without NAME belong to NAME', () => {
    const r = resolveHost([c('tars-node.previous', 'n:v1', 'exited'), c('tars-node.next', 'n:v2', 'created')], host('h3', 'node'), [host('h3', 'node')], 'tars');
    assert.equal(r.name, 'tars-node');
    assert.equal(r.current, undefined);
    assert.equal(r.next?.image, 'n:v2');
    assert.equal(r.previous?.image, 'n:v1');
  });

  it('hosts sharing an engine are told apart by `container:`; an extra running one is a conflict', () => {
    const hosts = [host('h1', 'master', 'tars-framework'), host('h3', 'node', 'tars-node')];
    const all = [c('tars-framework', 'f:v1'), c('tars-node', 'n:v1', 'running', { kind: 'node' })];
    assert.equal(resolveHost(all, hosts[1]!, hosts, 'tars').current?.name, 'tars-node');
    assert.equal(resolveHost(all, hosts[0]!, hosts, 'tars').conflict, undefined);
    assert.match(resolveHost([...all, c('stray', 'f:v1')], hosts[0]!, hosts, 'tars').conflict ?? '', /stray/);
    assert.throws(() => resolveHost(all, host('h1', 'master'), [host('h1', 'master'), host('h3', 'node')], 'tars'), /share the engine/);
  });
});

describe('restart data from what was found', () => {
  const found = (...cs: TarsContainer[]) => resolveHost(cs, host('h1', 'master'), [host('h1', 'master')], 'tars');

  it('a running old container: clone it, keep it aside, go back to it on failure', () => {
    const r = restartSpec(found(c('tars-framework', 'f:v1')), 'f:v2', 'upgrade')!;
    assert.equal(r.replace?.name, 'tars-framework');
    assert.deepEqual(r.candidate, { clone: r.replace });
    assert.equal(r.fallback?.image, 'f:v1');
  });

  it('a rollback takes back the kept container that holds the target', () => {
    const r = restartSpec(found(c('tars-framework', 'f:v2'), c('tars-framework.previous', 'f:v1', 'exited')), 'f:v1', 'rollback')!;
    assert.ok('existing' in r.candidate && r.candidate.existing.name === 'tars-framework.previous');
    assert.equal(r.fallback?.image, 'f:v2');
  });

  it('after a kill: the new container under NAME.next, or under NAME not started, is finished; the kept one is the fallback', () => {
    const moved = restartSpec(found(c('tars-framework.previous', 'f:v1', 'exited'), c('tars-framework.next', 'f:v2', 'created')), 'f:v2', 'upgrade')!;
    assert.equal(moved.replace, null);
    assert.ok('existing' in moved.candidate && moved.candidate.existing.name === 'tars-framework.next');
    assert.equal(moved.fallback?.name, 'tars-framework.previous');
    const renamed = restartSpec(found(c('tars-framework', 'f:v2', 'created'), c('tars-framework.previous', 'f:v1', 'exited')), 'f:v2', 'upgrade')!;
    assert.ok('existing' in renamed.candidate && renamed.candidate.existing.name === 'tars-framework');
    assert.equal(renamed.fallback?.name, 'tars-framework.previous');
  });

  it('killed before the kept container was promoted: NAME.old is what comes back, before the older NAME.previous', () => {
    const r = restartSpec(found(c('tars-framework.old', 'f:v2', 'exited'), c('tars-framework.previous', 'f:v1', 'exited'), c('tars-framework.next', 'f:v3', 'created')), 'f:v3', 'upgrade')!;
    assert.equal(r.fallback?.name, 'tars-framework.old');
    assert.ok('existing' in r.candidate && r.candidate.existing.name === 'tars-framework.next');
  });

  it('no container at all: nothing to restart', () => {
    assert.equal(restartSpec(found(), 'f:v2', 'upgrade'), undefined);
  });
});
