// Helpers for tests that run against the shared lab brought up by test/support/run-tests.js.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { connectHost } from '../../src/docker/connect.js';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { discoverHost, mainContainer } from '../../src/cluster/discover.js';
import { listTarsContainers } from '../../src/docker/tars-containers.js';
import { openConnection } from '../../src/db/connection.js';
import { TARS_DATABASES } from '../../src/db/tars-databases.js';
import { readStandinSpeed, writeStandinSpeed, type StandinSpeed } from '../../src/lab/standin-speed.js';
import { runCli, type CliResult, type RunOptions } from './cli.js';
import { hostProblems, mysqlNow } from './outcome.js';

export const LAB_DIR = resolve(process.env.TARS_LAB_DIR ?? '.lab');
export const LAB_ENV = `${LAB_DIR}/.env`;
export const LAB_INVENTORY = `${LAB_DIR}/tars-docker.yml`;

/** Runs the real CLI as a user would, against the lab config unless other files are given. */
export function cli(args: string[], opts: RunOptions & { envFile?: string; inventory?: string } = {}): Promise<CliResult> {
  const { envFile, inventory, ...run } = opts;
  return runCli(['--env-file', envFile ?? LAB_ENV, '--inventory', inventory ?? LAB_INVENTORY, ...args], run);
}

/**
 * The lab inventory's text for a test to edit into a copy elsewhere: its `knownHosts:` made absolute (added when
 * absent), so the copy still verifies the ssh host's key against the lab's known_hosts.
 */
export function labInventoryText(): string {
  const text = readFileSync(LAB_INVENTORY, 'utf8');
  return /^knownHosts:/m.test(text) ? text : `knownHosts: ${LAB_DIR}/known_hosts\n${text}`;
}

export function labConfig(): Config {
  return loadConfig({ envFile: LAB_ENV, inventory: LAB_INVENTORY });
}

export interface ContainerSnapshot {
  host: string;
  id: string | null;
  startedAt: string | null;
  image: string | null;
}

/** Ids and start times of the project's container on every host: equal snapshots mean nothing was touched. */
export async function snapshotContainers(config = labConfig()): Promise<ContainerSnapshot[]> {
  return Promise.all(
    config.hosts.map(async (h) => {
      const conn = await connectHost(h);
      try {
        const c = mainContainer(await discoverHost(config, h, conn));
        return { host: h.name, id: c?.id ?? null, startedAt: c?.startedAt ?? null, image: c?.image ?? null };
      } finally {
        await conn.close();
      }
    }),
  );
}

/** Removes the cluster (every Tars container, the databases, and the journal of its runs) so a test can install the version it needs. */
export async function wipeCluster(config = labConfig()): Promise<void> {
  rmSync(`${LAB_DIR}/.tars-docker/journal.jsonl`, { force: true });
  await Promise.all(
    config.hosts.map(async (h) => {
      const conn = await connectEngine(h);
      try {
        // Every Tars container, labelled or not: one a test started by hand goes too (NAME.previous included).
        const list = await listTarsContainers(conn.docker, { framework: config.images.framework, node: config.images.node, project: config.project });
        await Promise.all(list.map((c) => conn.docker.getContainer(c.id).remove({ force: true, v: true })));
      } finally {
        await conn.close();
      }
    }),
  );
  const db = await openConnection(config.mysql, { values: 'native' });
  try {
    for (const name of [...TARS_DATABASES, 'tars_docker']) await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await db.end();
  }
}

/** A cluster at `version`, freshly installed, and proven so by the engines and db_tars rather than by install's exit code. */
export async function freshCluster(version: string): Promise<void> {
  await wipeCluster();
  const since = await mysqlNow();
  const r = await cli(['--json', 'install', '--version', version]);
  if (r.code !== 0) throw new Error(`install ${version} failed (${r.code}): ${r.stderr.trim()}`);
  const problems = await hostProblems({ version, since });
  if (problems.length > 0) throw new Error(`install ${version} exited 0, but: ${problems.join('; ')}`);
}

/**
 * An operator who adopts a cluster already trusts its ssh hosts: the lab's recorded host keys go into the
 * known_hosts file that tars-docker reads beside the inventory `dir` will hold.
 */
export function trustLabHosts(dir: string): void {
  copyFileSync(`${LAB_DIR}/known_hosts`, `${dir}/known_hosts`);
}

/**
 * Sets how fast the lab's stand-ins run from their next start on (see src/lab/standin-speed.ts) and returns the
 * speed it replaced, for the test to put back. The suite runs `fast`; a test about timing asks for `real`.
 */
export async function useStandinSpeed(speed: StandinSpeed): Promise<StandinSpeed> {
  const db = await openConnection(labConfig().mysql, { values: 'native' });
  try {
    const before = await readStandinSpeed(db);
    await writeStandinSpeed(db, speed);
    return before;
  } finally {
    await db.end();
  }
}
