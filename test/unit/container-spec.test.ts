import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerSpec } from '../../src/cluster/container-spec.js';
import { installOrder } from '../../src/cluster/install.js';
import type { Config, HostConfig } from '../../src/config/types.js';

const host = (name: string, role: HostConfig['role'], address: string, env?: Record<string, string>): HostConfig => ({
  name,
  role,
  address,
  docker: { kind: 'unix', url: 'unix:///x.sock', socketPath: '/x.sock' },
  ...(env ? { env } : {}),
});
const config: Config = {
  envFile: '/e',
  inventoryFile: '/i',
  project: 'tars',
  mysql: { host: '10.0.0.5', port: 3306, user: 'root', password: 'pw' },
  rebuild: 'true',
  images: { framework: 'reg:5000/tarscloud/framework', node: 'reg:5000/tarscloud/tars-node', nodeTag: 'latest' },
  registry: { insecure: [] },
  hosts: [host('n1', 'node', '10.0.0.13'), host('s1', 'slave', '10.0.0.12'), host('m', 'master', '10.0.0.11'), host('n2', 'node', '10.0.0.14', { DOMAIN: 'n2.tars.local' })],
  hostKeys: { files: [], recordTo: '/known_hosts', acceptNew: false },
  env: {},
};

describe('container spec', () => {
  it('a master gets SLAVE=false and the cluster MySQL, never a REBUILD variable', () => {
    const spec = containerSpec(config, config.hosts[2]!, 'v3.0.16');
    assert.equal(spec.image, 'reg:5000/tarscloud/framework:v3.0.16');
    assert.equal(spec.service, 'framework');
    assert.equal(spec.vars.SLAVE, 'false');
    assert.equal(spec.vars.MYSQL_HOST, '10.0.0.5');
    assert.equal(spec.vars.INET, 'eth0');
    assert.equal('REBUILD' in spec.vars, false);
    assert.equal(spec.vars.TARS_ROLE, 'master');
  });

  it('a slave gets SLAVE=true', () => {
    assert.equal(containerSpec(config, config.hosts[1]!, 'v3.0.16').vars.SLAVE, 'true');
  });

  it('a node points WEB_HOST at the master and takes DOMAIN from the inventory; its tag is NODE_TAG, never the version', () => {
    const n1 = containerSpec(config, config.hosts[0]!, 'v3.0.16');
    assert.equal(n1.image, 'reg:5000/tarscloud/tars-node:latest');
    assert.equal(n1.vars.WEB_HOST, 'http://10.0.0.11:3000');
    assert.equal(n1.vars.DOMAIN, '10.0.0.13');
    assert.equal(containerSpec(config, config.hosts[3]!, 'v3.0.16').vars.DOMAIN, 'n2.tars.local');
    const pinned = containerSpec({ ...config, images: { ...config.images, nodeTag: 'stable' } }, config.hosts[0]!, 'v3.0.16');
    assert.equal(pinned.image, 'reg:5000/tarscloud/tars-node:stable');
  });

  it('installs master first, then slaves, then nodes', () => {
    assert.deepEqual(installOrder(config).map((g) => g.map((h) => h.name)), [['m'], ['s1'], ['n1', 'n2']]);
  });
});
