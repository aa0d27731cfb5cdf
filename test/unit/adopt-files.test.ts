import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { renderEnv, renderInventory } from '../../src/cluster/adopt-files.js';
import type { AdoptedHost } from '../../src/cluster/adopt.js';
import { checkComposePins } from '../../src/guard/checks/compose-pin.js';

describe('files adopt writes', () => {
  it('the .env reads back exactly, whatever the password holds', () => {
    for (const password of ['plain', 'with space#hash', "it's", `both ' and "`, '']) {
      const env = { MYSQL_HOST: '10.0.0.5', MYSQL_ROOT_PASSWORD: password, NODE_TAG: '' };
      assert.deepEqual(parse(renderEnv(env)), env, password);
    }
  });

  it('the inventory lists the entries, master first as given, with container names where given', () => {
    const host = (name: string, role: AdoptedHost['role'], container?: string): AdoptedHost => ({
      name, role, address: '172.25.0.3', addressFrom: 'DOMAIN', container: container ?? 'x', origin: 'hand', image: 'f:v1',
      entry: { name, role, address: '172.25.0.3', docker: { endpoint: 'unix:///s' }, ...(container ? { container } : {}) },
    });
    const doc = parseYaml(renderInventory([host('m', 'master', 'tars-framework'), host('n', 'node')])) as { project: string; hosts: { name: string; container?: string }[] };
    assert.equal(doc.project, 'tars');
    assert.deepEqual(doc.hosts.map((h) => `${h.name} ${h.container ?? '-'}`), ['m tars-framework', 'n -']);
  });
});

describe('compose files that still pin an old image', () => {
  const pin = { host: 'h4', container: 'ops_node_1', image: 'r/tarscloud/tars-node:v3.0.16', file: '/ops/docker-compose.yml', service: 'node', line: 4 };
  it('a literal older image is a warning naming the file and line; the same image or a variable is not', () => {
    const [f] = checkComposePins([{ ...pin, written: 'r/tarscloud/tars-node:v3.0.14' }]);
    assert.equal(f?.severity, 'warning');
    assert.equal(`${f?.source.file}:${f?.source.line}`, '/ops/docker-compose.yml:4');
    assert.match(f!.message, /names r\/tarscloud\/tars-node:v3\.0\.14 while h4's container ops_node_1 runs r\/tarscloud\/tars-node:v3\.0\.16/);
    assert.deepEqual(checkComposePins([{ ...pin, written: pin.image }, { ...pin, written: '${NODE_IMAGE}' }, pin]), []);
  });
});
