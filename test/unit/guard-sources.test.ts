import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectGuardInputs, runGuard, type CollectOptions, type ContainerInput, type Finding } from '../../src/guard/index.js';

// A cluster as tars-docker sets it up: compose files with ${VAR}s and REBUILD pinned, one master, one slave, one node.
const FRAMEWORK = `services:
  framework:
    image: "\${FRAMEWORK_IMAGE}:\${FRAMEWORK_TAG}"
    container_name: tars-framework
    environment:
      MYSQL_HOST: "\${MYSQL_HOST}"
      MYSQL_ROOT_PASSWORD: "\${MYSQL_ROOT_PASSWORD}"
      REBUILD: "false"
      SLAVE: "\${SLAVE}"
      INET: "\${INET}"
      DOMAIN: "\${DOMAIN}"
`;
const NODE = `services:
  tars-node:
    image: "\${NODE_IMAGE}:\${NODE_TAG}"
    environment:
      WEB_HOST: "\${WEB_HOST}"
      DOMAIN: "\${DOMAIN}"
      REBUILD: "false"
`;
const ENV = '# cluster\nMYSQL_HOST=10.0.0.5\nMYSQL_ROOT_PASSWORD=pw-0123456789\nREBUILD=false\n';
const INVENTORY = `project: tars
hosts:
  - name: h1
    role: master
    address: 10.0.0.11
    docker: { endpoint: unix:///run/h1.sock }
  - name: h2
    role: slave
    address: 10.0.0.12
    docker: { endpoint: unix:///run/h2.sock }
  - name: n1
    role: node
    address: 10.0.0.13
    docker: { endpoint: unix:///run/n1.sock }
`;
const fw = (slave: string) => ({ MYSQL_HOST: '10.0.0.5', MYSQL_ROOT_PASSWORD: 'pw-0123456789', SLAVE: slave, INET: 'eth0', DOMAIN: '' });
const MANAGED = { h1: fw('false'), h2: fw('true'), n1: { WEB_HOST: 'http://10.0.0.11:3000', DOMAIN: '10.0.0.13' } };
const CONTAINERS: ContainerInput[] = [
  { host: 'h1', role: 'master', container: 'tars-framework', env: ['MYSQL_HOST=10.0.0.5', 'REBUILD=false', 'SLAVE=false', 'INET=eth0'] },
  { host: 'n1', role: 'node', container: 'tars-node', env: ['WEB_HOST=http://10.0.0.11:3000', 'DOMAIN=10.0.0.13', 'REBUILD=false'] },
];

interface Planted {
  env?: string;
  framework?: string;
  inventory?: string;
  files?: Record<string, string>;
  shell?: Record<string, string>;
  containers?: ContainerInput[];
}

function setup(p: Planted = {}): { dir: string; opts: CollectOptions } {
  const dir = mkdtempSync(join(tmpdir(), 'td-guard-'));
  mkdirSync(join(dir, 'compose'));
  const files: Record<string, string> = {
    '.env': p.env ?? ENV,
    'compose/framework.yml': p.framework ?? FRAMEWORK,
    'compose/tars-node.yml': NODE,
    'tars-docker.yml': p.inventory ?? INVENTORY,
    ...p.files,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  const opts: CollectOptions = {
    envFile: join(dir, '.env'),
    composeFiles: [join(dir, 'compose/framework.yml'), join(dir, 'compose/tars-node.yml')],
    inventoryFile: join(dir, 'tars-docker.yml'),
    shellEnv: { PATH: '/usr/bin', HOME: '/root', ...p.shell },
    containers: p.containers ?? CONTAINERS,
    managedEnv: MANAGED,
  };
  return { dir, opts };
}

function guard(p: Planted = {}): { dir: string; findings: Finding[]; blocking: boolean } {
  const { dir, opts } = setup(p);
  const report = runGuard(collectGuardInputs(opts));
  return { dir, ...report };
}

const rebuild = (fs: Finding[]) => fs.filter((f) => f.id.startsWith('rebuild-'));

describe('guard: REBUILD in each source', () => {
  it('a cluster set up the way tars-docker does it is clean', () => {
    const r = guard();
    assert.deepEqual(r.findings, []);
    assert.equal(r.blocking, false);
  });

  it('finds it in the .env at its line', () => {
    const r = guard({ env: ENV.replace('REBUILD=false', 'REBUILD=true') });
    assert.deepEqual(rebuild(r.findings).map((f) => [f.id, f.severity, f.source]), [
      ['rebuild-true', 'blocking', { kind: 'env-file', file: join(r.dir, '.env'), line: 4 }],
    ]);
    assert.equal(r.blocking, true);
    assert.match(r.findings[0]!.message, /drop db_tars.*on every start/);
  });

  it('honours export, quotes and comments in env files', () => {
    const r = guard({ env: `${ENV}# REBUILD=true\nexport REBUILD='TRUE' # careful\n` });
    assert.deepEqual(rebuild(r.findings).map((f) => [f.id, f.source.line]), [['rebuild-not-false', 6]]);
    assert.match(r.findings[0]!.message, /only exact "true" drops/);
  });

  it('finds it in an env_file named by a compose file, resolved next to that compose file', () => {
    const framework = FRAMEWORK.replace('    environment:', '    env_file:\n      - ./extra.env\n    environment:');
    const r = guard({ framework, files: { 'compose/extra.env': 'TZ=UTC\n\nREBUILD=true\n' } });
    assert.deepEqual(rebuild(r.findings).map((f) => f.source), [{ kind: 'env-file', file: join(r.dir, 'compose/extra.env'), line: 3 }]);
  });

  it('finds it in a compose environment map, quoted or not', () => {
    for (const [value, id] of [['"true"', 'rebuild-true'], ["'TRUE'", 'rebuild-not-false'], ['1', 'rebuild-not-false']]) {
      const r = guard({ framework: FRAMEWORK.replace('REBUILD: "false"', `REBUILD: ${value}`) });
      assert.deepEqual(rebuild(r.findings).map((f) => [f.id, f.source]), [
        [id, { kind: 'compose', file: join(r.dir, 'compose/framework.yml'), line: 8 }],
      ]);
    }
  });

  it('finds it in a compose environment list', () => {
    const framework = `services:\n  framework:\n    image: tarscloud/framework:v3.0.20\n    environment:\n      - SLAVE=false\n      - REBUILD=true\n`;
    const r = guard({ framework });
    assert.deepEqual(rebuild(r.findings).map((f) => [f.id, f.source.kind, f.source.line]), [['rebuild-true', 'compose', 6]]);
  });

  it('reports a ${REBUILD} reference where the value really comes from', () => {
    const framework = FRAMEWORK.replace('REBUILD: "false"', 'REBUILD: ${REBUILD}');
    const fromEnv = guard({ framework, env: ENV.replace('REBUILD=false', 'REBUILD=true') });
    assert.deepEqual(rebuild(fromEnv.findings).map((f) => f.source), [{ kind: 'env-file', file: join(fromEnv.dir, '.env'), line: 4 }]);
    const fromShell = guard({ framework, shell: { REBUILD: 'true' } });
    assert.deepEqual(rebuild(fromShell.findings).map((f) => f.source), [{ kind: 'shell' }]);
    const fromDefault = guard({ framework: FRAMEWORK.replace('REBUILD: "false"', 'REBUILD: "${REBUILD:-true}"'), env: 'MYSQL_HOST=10.0.0.5\n' });
    assert.deepEqual(rebuild(fromDefault.findings).map((f) => [f.source.kind, f.source.line]), [['compose', 8]]);
    assert.deepEqual(rebuild(guard({ framework, env: 'MYSQL_HOST=10.0.0.5\n' }).findings), []);
  });

  it('finds it in an inventory host env', () => {
    const inventory = INVENTORY.replace('    docker: { endpoint: unix:///run/h1.sock }', '    docker: { endpoint: unix:///run/h1.sock }\n    env:\n      REBUILD: "true"');
    const r = guard({ inventory });
    assert.deepEqual(rebuild(r.findings).map((f) => [f.severity, f.source]), [
      ['blocking', { kind: 'inventory', file: join(r.dir, 'tars-docker.yml'), line: 8, host: 'h1' }],
    ]);
  });

  it('finds it in the shell environment', () => {
    const r = guard({ shell: { REBUILD: 'yes' } });
    assert.deepEqual(rebuild(r.findings).map((f) => [f.id, f.source]), [['rebuild-not-false', { kind: 'shell' }]]);
  });

  it('finds it in a live container; REBUILD=true blocks even on a tars-node, other values there only warn', () => {
    const r = guard({
      containers: [
        { host: 'h1', role: 'master', container: 'tars-framework', env: ['REBUILD=true', 'SLAVE=false', 'MYSQL_HOST=10.0.0.5'] },
        { host: 'n1', role: 'node', container: 'tars-node', env: ['REBUILD=true', 'WEB_HOST=http://x:3000', 'DOMAIN=10.0.0.13'] },
        { host: 'n2', role: 'node', container: 'tars-node', env: ['REBUILD=yes', 'WEB_HOST=http://x:3000', 'DOMAIN=10.0.0.14'] },
      ],
    });
    assert.deepEqual(rebuild(r.findings).map((f) => [f.severity, f.source]), [
      ['blocking', { kind: 'container', host: 'h1', container: 'tars-framework' }],
      ['blocking', { kind: 'container', host: 'n1', container: 'tars-node' }],
      ['warning', { kind: 'container', host: 'n2', container: 'tars-node' }],
    ]);
  });

  it('lets false, empty and absent through everywhere', () => {
    for (const v of ['false', '', '""']) {
      const r = guard({
        env: ENV.replace('REBUILD=false', `REBUILD=${v}`),
        framework: FRAMEWORK.replace('REBUILD: "false"', `REBUILD: "${v.replace(/"/g, '')}"`),
        shell: { REBUILD: v.replace(/"/g, '') },
      });
      assert.deepEqual(rebuild(r.findings), [], v);
    }
    const absent = guard({ env: 'MYSQL_HOST=10.0.0.5\n', framework: FRAMEWORK.replace('      REBUILD: "false"\n', '') });
    assert.deepEqual(rebuild(absent.findings), []);
  });
});
