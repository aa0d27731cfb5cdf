import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config, HostConfig } from '../../src/config/types.js';
import type { NodeFacts } from '../../src/rollout/plan.js';
import type { PlannedMigration } from '../../src/db/migrate/planned.js';
import type { HostContainers } from '../../src/cluster/discover.js';
import type { TarsContainer } from '../../src/docker/tars-containers.js';

/** The cluster of the plan tests: a master, a slave and three nodes, each with a container made by hand. */
export const h = (name: string, role: HostConfig['role']): HostConfig => ({
  name, role, address: `10.0.0.${name.slice(1)}`, docker: { kind: 'unix', url: 'unix:///s', socketPath: '/s' },
});
export const config = {
  project: 'tars',
  mysql: { host: 'db', port: 3306, user: 'root', password: 'pw' },
  images: { framework: 'tarscloud/framework', node: 'tarscloud/tars-node', nodeTag: 'latest' },
  hosts: [h('h1', 'master'), h('h2', 'slave'), h('h3', 'node'), h('h4', 'node'), h('h5', 'node')],
} satisfies Pick<Config, 'hosts' | 'images' | 'project' | 'mysql'>;
export const container = (name: string, image: string, id: string, extra: Partial<TarsContainer> = {}): TarsContainer => ({
  id: id.padEnd(64, '0'), name, image, imageId: 'sha256:x', state: 'running', restarting: false, startedAt: '', restartCount: 0,
  labels: {}, env: [], restartPolicy: { Name: 'always', MaximumRetryCount: 0 }, kind: image.includes('node') ? 'node' : 'framework',
  slave: false, origin: 'hand', composeFiles: [], running: true, keeps: ['bind /data/tars -> /data/tars', 'network host', 'restart always'],
  ...extra,
});
export const one = (name: string, image: string, id: string): HostContainers => ({ name, current: container(name, image, id), leftovers: [] });
export const at = (v: string): Record<string, HostContainers> => ({
  h1: one('tars-framework', `tarscloud/framework:${v}`, 'a1'),
  h2: one('tars-framework', `tarscloud/framework:${v}`, 'a2'),
  h3: one('tars-node', 'tarscloud/tars-node:latest', 'a3'),
  h4: one('tars-node', 'tarscloud/tars-node:latest', 'a4'),
  h5: one('tars-node', 'tarscloud/tars-node:latest', 'a5'),
});
export const OLD = `sha256:${'1'.repeat(64)}`;
export const NEW = `sha256:${'2'.repeat(64)}`;
/** Every node pulled `latest` at OLD and runs the tarsnode `tarsnode`; the registry serves `tag` for latest. */
export const nodes = (tag: string, tarsnode = '3.0.12', moved: string[] = []): Record<string, NodeFacts> =>
  Object.fromEntries(['h3', 'h4', 'h5'].map((n) => [n, { runningDigest: moved.includes(n) ? NEW : OLD, tagDigest: tag, tarsnodeVersion: tarsnode }]));

/** What the prepare phase fixes for the migrate step: a table and a column to add, a widening, one narrowing skipped. */
export const migration: PlannedMigration = {
  version: 'v3.0.16',
  databases: [
    {
      target: 'db_tars_web', live: 'db_tars_web', createDatabase: false, against: `sha256:${'a'.repeat(64)}`,
      steps: [
        { id: 't_application: create table', kind: 'create-table', database: 'db_tars_web', table: 't_application', sql: 'CREATE TABLE `t_application` (`f_id` int NOT NULL)', online: false, check: { kind: 'table-exists', table: 't_application' } },
        { id: 't_tars_files: add column benchmark_context', kind: 'add-column', database: 'db_tars_web', table: 't_tars_files', sql: 'ALTER TABLE `t_tars_files` ADD COLUMN `benchmark_context` text', online: true, check: { kind: 'column-exists', table: 't_tars_files', column: 'benchmark_context' } },
      ],
      findings: [{ severity: 'kept', database: 'db_tars_web', table: 't_kafka_queue', reason: 'live has a table the target lacks; kept' }],
    },
    {
      target: 'db_user_system', live: 'db_user_system', createDatabase: false, against: `sha256:${'b'.repeat(64)}`,
      steps: [
        { id: 't_token: modify column token', kind: 'modify-column', database: 'db_user_system', table: 't_token', sql: 'ALTER TABLE `t_token` MODIFY COLUMN `token` varchar(255) NULL DEFAULT NULL', online: true, check: { kind: 'column-type', table: 't_token', column: 'token', columnType: 'varchar(255)' } },
      ],
      findings: [{ severity: 'unsafe', database: 'db_user_system', table: 't_user_info', column: 'uid', reason: 'narrowing varchar(256) to varchar(128) may truncate data' }],
    },
  ],
};

/** Compares the lines with test/unit/golden/NAME.txt; UPDATE_GOLDEN=1 writes them instead. */
export function golden(name: string, lines: string[]): void {
  const file = new URL(`./golden/${name}.txt`, import.meta.url);
  const text = `${lines.join('\n')}\n`;
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'));
}
