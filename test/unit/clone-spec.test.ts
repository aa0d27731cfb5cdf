import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Docker from 'dockerode';
import { cloneSpec, keptSummary } from '../../src/docker/clone-spec.js';

const imageConfig = { Env: ['PATH=/usr/bin', 'TZ=UTC'], Cmd: ['/bin/entry.sh'], Entrypoint: null, Labels: { maintainer: 'tars' } };

/** `docker run -d --name=tars-framework --net=tars --ip 172.25.0.3 -p 3000:3000 -v /data/framework:/data/tars -v anon:/x --restart=always ...` as inspect shows it. */
function inspected(mode = 'tars'): Docker.ContainerInspectInfo {
  return {
    Id: 'abcdef123456'.padEnd(64, '0'),
    Name: '/tars-framework',
    Image: 'sha256:old',
    RestartCount: 0,
    State: { Status: 'running', Running: true, Restarting: false, StartedAt: '' },
    Config: {
      Hostname: 'abcdef123456', Domainname: '', User: '', Tty: false, OpenStdin: false, StdinOnce: false,
      Env: ['PATH=/usr/bin', 'TZ=UTC', 'MYSQL_HOST=db', 'REBUILD=true', 'EXTRA=1'],
      Cmd: ['/bin/entry.sh'], Image: 'tarscloud/framework:v3.0.15', WorkingDir: '', Labels: { maintainer: 'tars', team: 'ops' },
      ExposedPorts: {}, Volumes: { '/x': {} },
    },
    HostConfig: {
      NetworkMode: mode, Binds: ['/data/framework:/data/tars'], RestartPolicy: { Name: 'always', MaximumRetryCount: 0 },
      PortBindings: { '3000/tcp': [{ HostIp: '', HostPort: '3000' }] }, LogConfig: { Type: 'json-file', Config: {} },
      Ulimits: [{ Name: 'nofile', Soft: 65535, Hard: 65535 }], CapAdd: ['SYS_PTRACE'],
    },
    Mounts: [
      { Type: 'bind', Source: '/data/framework', Destination: '/data/tars', Mode: '', RW: true, Propagation: 'rprivate' },
      { Type: 'volume', Name: 'f00d', Source: '/var/lib/docker/volumes/f00d/_data', Destination: '/x', Mode: '', RW: true, Propagation: '' },
    ],
    NetworkSettings: {
      Networks: mode === 'host' ? { host: { NetworkID: 'h' } } : {
        tars: { NetworkID: 'n1', IPAMConfig: { IPv4Address: '172.25.0.3' }, Aliases: ['abcdef123456', 'framework'] },
        extra: { NetworkID: 'n2', Aliases: ['abcdef123456'] },
      },
    },
  } as unknown as Docker.ContainerInspectInfo;
}

describe('a clone of an inspected container', () => {
  it('changes only the image; forces REBUILD=false; leaves the image defaults to the new image', () => {
    const { create, connect } = cloneSpec(inspected(), imageConfig, 'tarscloud/framework:v3.0.16', 'tars-framework.next');
    assert.equal(create.Image, 'tarscloud/framework:v3.0.16');
    assert.equal(create.name, 'tars-framework.next');
    assert.deepEqual(create.Env, ['MYSQL_HOST=db', 'EXTRA=1', 'REBUILD=false']);
    assert.equal(create.Cmd, undefined, 'the image default command is not pinned');
    assert.deepEqual(create.Labels, { team: 'ops' });
    assert.equal(create.Hostname, undefined, 'the generated hostname is not carried over');
    assert.deepEqual(create.HostConfig?.Binds, ['/data/framework:/data/tars', 'f00d:/x'], 'the anonymous volume is re-attached by name');
    assert.deepEqual(create.HostConfig?.RestartPolicy, { Name: 'always', MaximumRetryCount: 0 });
    assert.deepEqual(create.HostConfig?.PortBindings, { '3000/tcp': [{ HostIp: '', HostPort: '3000' }] });
    assert.deepEqual(create.NetworkingConfig?.EndpointsConfig, { tars: { IPAMConfig: { IPv4Address: '172.25.0.3' }, Aliases: ['framework'] } });
    assert.deepEqual(connect, [{ network: 'extra', endpoint: {} }]);
  });

  it('host networking: no endpoint config, and a command the operator gave is kept', () => {
    const old = inspected('host');
    old.Config.Cmd = ['/bin/entry.sh', '--debug'];
    const { create, connect } = cloneSpec(old, imageConfig, 'f:v2', 'n');
    assert.equal(create.NetworkingConfig, undefined);
    assert.deepEqual(connect, []);
    assert.deepEqual(create.Cmd, ['/bin/entry.sh', '--debug']);
  });

  it('the plan says what is kept, env by name only', () => {
    assert.deepEqual(keptSummary(inspected(), imageConfig), [
      'bind /data/framework -> /data/tars', 'volume f00d -> /x', 'network tars ip 172.25.0.3', 'network extra', 'port 3000 -> 3000/tcp',
      'restart always', 'env MYSQL_HOST,REBUILD,EXTRA', 'ulimits nofile', 'cap-add SYS_PTRACE',
    ]);
  });

  it('lists mounts by target whatever order inspect gave them in', () => {
    const info = inspected();
    const reversed = { ...info, Mounts: [...info.Mounts].reverse() };
    assert.deepEqual(keptSummary(reversed, imageConfig).slice(0, 2), ['bind /data/framework -> /data/tars', 'volume f00d -> /x']);
  });
});
