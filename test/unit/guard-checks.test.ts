import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectGuardInputs, formatFindings, runGuard, type CollectOptions, type ContainerInput } from '../../src/guard/index.js';

const PASSWORD = 'Sup3r-Secret-pw';
const dir = mkdtempSync(join(tmpdir(), 'td-guard-checks-'));
let n = 0;
function write(text: string, mode = 0o600): string {
  const p = join(dir, `f${++n}`);
  writeFileSync(p, text, { mode });
  return p;
}
const guard = (o: Partial<CollectOptions>) => runGuard(collectGuardInputs({ composeFiles: [], shellEnv: {}, containers: [], ...o }));
const master = (env: string[]): ContainerInput => ({ host: 'h1', role: 'master', container: 'tars-framework', env });
const ids = (r: ReturnType<typeof guard>) => r.findings.map((f) => [f.id, f.severity]);

describe('guard: SLAVE matches the role', () => {
  it('blocks a slave container without SLAVE=true, and a master container with it', () => {
    const r = guard({
      containers: [
        { host: 'h2', role: 'slave', container: 'tars-framework', env: ['SLAVE=false', 'INET=eth0'] },
        { host: 'h3', role: 'slave', container: 'tars-framework', env: ['INET=eth0'] },
        master(['SLAVE=true', 'INET=eth0']),
      ],
    });
    assert.deepEqual(r.findings.map((f) => [f.id, f.severity, f.source.host]), [
      ['slave-mismatch', 'blocking', 'h2'],
      ['slave-mismatch', 'blocking', 'h3'],
      ['slave-mismatch', 'blocking', 'h1'],
    ]);
    assert.match(r.findings[0]!.message, /master's install scripts/);
  });

  it('blocks an inventory override that contradicts the host role, at its line', () => {
    const inventoryFile = write('hosts:\n  - name: h1\n    role: master\n  - name: h2\n    role: slave\n    env:\n      SLAVE: "false"\n');
    const r = guard({ inventoryFile, managedEnv: { h1: { SLAVE: 'false', INET: 'eth0' }, h2: { SLAVE: 'true', INET: 'eth0' } } });
    assert.deepEqual(r.findings.map((f) => [f.id, f.severity, f.source.line, f.source.host]), [['slave-mismatch', 'blocking', 7, 'h2']]);
  });

  it('judges the compose file per host with its variables filled in', () => {
    const composeFile = write('services:\n  framework:\n    image: ${FRAMEWORK_IMAGE}\n    environment:\n      SLAVE: ${SLAVE}\n      INET: eth0\n');
    const envFile = write('SLAVE=false\n');
    const inventoryFile = write('hosts:\n  - name: h1\n    role: master\n  - name: h2\n    role: slave\n');
    const r = guard({ envFile, composeFiles: [composeFile], inventoryFile });
    assert.deepEqual(r.findings.map((f) => [f.id, f.severity, f.source.file, f.source.line]), [['slave-mismatch', 'blocking', envFile, 1]]);
    assert.match(r.findings[0]!.message, /slave host h2/);
    const managed = guard({ envFile, composeFiles: [composeFile], inventoryFile, managedEnv: { h1: { SLAVE: 'false' }, h2: { SLAVE: 'true' } } });
    assert.deepEqual(ids(managed), [['slave-mismatch', 'warning']], 'the shared .env line is still wrong for a hand-run compose');
  });
});

describe('guard: addresses', () => {
  it('blocks INET=127.0.0.1, INET=lo, an empty INET and DOMAIN=localhost on a framework', () => {
    for (const env of [['INET=127.0.0.1'], ['INET=lo'], ['INET='], ['DOMAIN=localhost', 'INET=eth0']]) {
      assert.deepEqual(ids(guard({ containers: [master(['SLAVE=false', ...env])] })), [['address-loopback', 'blocking']], env.join());
    }
    assert.deepEqual(ids(guard({ containers: [master(['SLAVE=false', 'DOMAIN=10.0.0.11', 'INET=lo'])] })), []);
    assert.deepEqual(ids(guard({ containers: [master(['SLAVE=false'])] })), [['address-missing', 'warning']]);
  });

  it('reports an inventory INET override on loopback at its line', () => {
    const inventoryFile = write('hosts:\n  - name: h1\n    role: master\n    address: 10.0.0.11\n    env:\n      INET: 127.0.0.1\n');
    const r = guard({ inventoryFile, managedEnv: { h1: { SLAVE: 'false', INET: '127.0.0.1' } } });
    assert.deepEqual(r.findings.map((f) => [f.id, f.source.kind, f.source.line]), [['address-loopback', 'inventory', 6]]);
  });

  it('reports a node without DOMAIN, blocking when INET shows an address was meant', () => {
    const node = (env: string[]): ContainerInput => ({ host: 'n1', role: 'node', container: 'tars-node', env });
    assert.deepEqual(ids(guard({ containers: [node(['WEB_HOST=http://10.0.0.11:3000'])] })), [['node-domain-missing', 'warning']]);
    assert.deepEqual(ids(guard({ containers: [node(['WEB_HOST=http://10.0.0.11:3000', 'INET=eth1'])] })), [['node-domain-missing', 'blocking']]);
    assert.deepEqual(ids(guard({ containers: [node(['WEB_HOST=http://10.0.0.11:3000', 'TARS_DOMAIN=10.0.0.13'])] })), []);
    assert.deepEqual(ids(guard({ containers: [node(['DOMAIN=10.0.0.13'])] })), [['node-web-host-missing', 'blocking']]);
  });

  it('reports a node compose service without DOMAIN at the service', () => {
    const composeFile = write('services:\n  tars-node:\n    image: tarscloud/tars-node:latest\n    environment:\n      WEB_HOST: http://10.0.0.11:3000\n      INET: eth0\n');
    const inventoryFile = write('hosts:\n  - name: n1\n    role: node\n    address: 10.0.0.13\n');
    const r = guard({ composeFiles: [composeFile], inventoryFile });
    assert.deepEqual(r.findings.map((f) => [f.id, f.severity, f.source.file, f.source.line]), [['node-domain-missing', 'blocking', composeFile, 6]]);
  });

  it('says exactly which variable to add for a node, where, and the inventory address as its value', () => {
    const inventoryFile = write('hosts:\n  - name: n1\n    role: node\n    address: 10.0.0.13\n    env:\n      DOMAIN: ""\n');
    const container = guard({ inventoryFile, containers: [{ host: 'n1', role: 'node', container: 'tars-node', env: ['WEB_HOST=http://10.0.0.11:3000'] }] });
    assert.deepEqual(container.findings.filter((f) => f.source.kind === 'container').map((f) => f.fix), [
      'recreate the node container on n1 with DOMAIN=10.0.0.13 in its environment (docker run -e DOMAIN=10.0.0.13)',
    ]);
    const inventory = guard({ inventoryFile, managedEnv: { n1: { WEB_HOST: 'http://10.0.0.11:3000', DOMAIN: '' } } });
    assert.deepEqual(inventory.findings.map((f) => [f.message, f.source.line, f.fix]), [
      ['DOMAIN is empty and TARS_DOMAIN unset for node host n1: tars-node registers eth0\'s address', 6, 'put DOMAIN: "10.0.0.13" in the env: of host n1'],
    ]);
    const composeFile = write('services:\n  tars-node:\n    image: tarscloud/tars-node:latest\n    environment:\n      WEB_HOST: http://10.0.0.11:3000\n');
    const compose = guard({ composeFiles: [composeFile], inventoryFile: write('hosts:\n  - name: n1\n    role: node\n    address: 10.0.0.13\n') });
    assert.deepEqual(compose.findings.map((f) => f.fix), [
      'add DOMAIN: "${DOMAIN}" to this service\'s environment: (tars-docker fills in each host\'s address, 10.0.0.13 for n1)',
    ]);
  });
});

describe('guard: MySQL and secrets', () => {
  it('blocks a MYSQL_HOST that differs from the .env, wherever it is', () => {
    const envFile = write(`MYSQL_HOST=10.0.0.5\nMYSQL_ROOT_PASSWORD=${PASSWORD}\n`);
    const r = guard({
      envFile,
      shellEnv: { MYSQL_USER: 'root' },
      containers: [master(['MYSQL_HOST=10.0.0.9', 'MYSQL_USER=tars', 'SLAVE=false', 'INET=eth0'])],
    });
    assert.deepEqual(r.findings.map((f) => [f.id, f.source.kind]), [['mysql-mismatch', 'container'], ['mysql-mismatch', 'container']]);
    assert.match(r.findings[0]!.message, /MYSQL_HOST="10.0.0.9" here but "10.0.0.5" in f\d+:1/);
  });

  it('warns when the .env holding the root password is readable by others, naming the key only', () => {
    const envFile = write(`MYSQL_HOST=10.0.0.5\nMYSQL_ROOT_PASSWORD=${PASSWORD}\n`, 0o644);
    const r = guard({ envFile });
    assert.deepEqual(r.findings.map((f) => [f.id, f.severity, f.source.line]), [['password-file-readable', 'warning', 2]]);
    assert.match(r.findings[0]!.message, /MYSQL_ROOT_PASSWORD/);
  });

  it('never shows the password, even when every check fires', () => {
    const envFile = write(`MYSQL_HOST=10.0.0.5\nMYSQL_ROOT_PASSWORD=${PASSWORD}\nREBUILD=true\n`, 0o644);
    const composeFile = write(
      `services:\n  framework:\n    image: tars-framework\n    environment: { REBUILD: "true", MYSQL_ROOT_PASSWORD: "${PASSWORD}", MYSQL_HOST: db2 }\n`,
    );
    const r = guard({
      envFile,
      composeFiles: [composeFile],
      shellEnv: { MYSQL_ROOT_PASSWORD: PASSWORD, REBUILD: 'x' },
      containers: [master([`MYSQL_ROOT_PASSWORD=${PASSWORD}`, 'REBUILD=true', 'INET=lo'])],
    });
    assert.ok(r.findings.length >= 5);
    assert.ok(!JSON.stringify(r).includes(PASSWORD));
    assert.ok(!formatFindings(r).join('\n').includes(PASSWORD));
  });
});
