// Helpers for the upgrade / rollback lab tests: the CLI as a killable process, the journal as it is written,
// a registry probe, and fingerprints of the data a rollout must not lose.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { openConnection } from '../../src/db/connection.js';
import { baseTables, checksumTable } from '../../src/db/backup/checksum.js';
import { cli, LAB_DIR, LAB_ENV, LAB_INVENTORY, labConfig } from './lab.js';
import type { CliResult } from './cli.js';
import { seedDatabase } from '../db/seed.js';

export const JOURNAL = join(LAB_DIR, '.tars-docker', 'journal.jsonl');
export const WEB_DATABASES = ['db_tars_web', 'db_user_system'] as const;
const BIN = resolve('bin/tars-docker.js');
export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export interface StatusDoc {
  healthy: boolean;
  hosts: { name: string; role: string; version: string | null; state: string; heartbeatAgeSeconds: number | null; healthy: boolean; image: string | null; problem?: string }[];
}

export async function status(): Promise<StatusDoc> {
  const r = await cli(['--json', 'status']);
  return JSON.parse(r.stdout) as StatusDoc;
}

/**
 * Does the host run `version`: a framework host by its tag; a node by the configured node tag (tars-node has no
 * version tags; status names a moving tag by its digest, `latest@sha256:…`).
 */
function runsVersion(h: StatusDoc['hosts'][number], version: string): boolean {
  if (h.role !== 'node') return h.version === version;
  const tag = labConfig().images.nodeTag;
  return h.version === tag || (h.version ?? '').startsWith(`${tag}@`);
}

/**
 * Polls status (the shared lab's unless `read` reads another inventory's) until every host is healthy at
 * `version` (or the time is up); returns the last status.
 */
export async function waitClusterAt(version: string, timeoutMs = 60_000, read: () => Promise<StatusDoc> = status): Promise<StatusDoc> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const doc = await read();
    if ((doc.healthy && doc.hosts.every((h) => runsVersion(h, version))) || Date.now() > end) return doc;
    await sleep(1000);
  }
}

/**
 * Every host healthy, at `version`, with a heartbeat no older than one real registry interval (13 s, stored in
 * whole seconds, so 15): the message names what is not.
 */
export function clusterProblems(doc: StatusDoc, version: string): string[] {
  return doc.hosts.flatMap((h) => [
    ...(!runsVersion(h, version) ? [`${h.name} runs ${h.version}`] : []),
    ...(!h.healthy ? [`${h.name} unhealthy: ${h.problem}`] : []),
    ...(h.heartbeatAgeSeconds === null || h.heartbeatAgeSeconds > 15 ? [`${h.name} heartbeat ${h.heartbeatAgeSeconds}s old`] : []),
  ]);
}

export interface HistoryDoc {
  history: { runId: string; kind: string; from: string | null; to: string; outcome: string; message: string | null; hosts: { name: string; outcome: string; downtimeSeconds: number }[] }[];
}

export async function history(): Promise<HistoryDoc['history']> {
  const r = await cli(['--json', 'history']);
  if (r.code !== 0) throw new Error(`history failed (${r.code}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as HistoryDoc).history;
}

// ---- data ----

/** `rows` rows of utf8mb4-rich data (Chinese text, emoji, quotes) in every table of both web databases. */
export async function seedWebData(rows = 300): Promise<void> {
  const conn = await openConnection(labConfig().mysql);
  try {
    for (const db of WEB_DATABASES) await seedDatabase(conn, db, rows);
    // Seeded dates lie in 2024: login tickets that old are expired, and the master sweeps them within a minute.
    await conn.query('UPDATE db_user_system.t_login_temp_info SET expire_time = NOW() + INTERVAL 30 DAY');
  } finally {
    await conn.end();
  }
}

export type Fingerprint = Record<string, { rows: number; checksum: string; columns: string[] }>;

/** Row count and checksum of every non-empty web table; `before` pins the columns (a migration may add some). */
export async function fingerprint(before?: Fingerprint): Promise<Fingerprint> {
  const conn = await openConnection(labConfig().mysql);
  try {
    const out: Fingerprint = {};
    for (const db of WEB_DATABASES) {
      for (const table of await baseTables(conn, db)) {
        const key = `${db}.${table}`;
        if (before && !before[key]) continue;
        const c = await checksumTable(conn, db, table, before?.[key]?.columns);
        if (before || c.rows > 0) out[key] = { rows: c.rows, checksum: c.checksum, columns: c.columns };
      }
    }
    return out;
  } finally {
    await conn.end();
  }
}

export function totalRows(f: Fingerprint): number {
  return Object.values(f).reduce((n, t) => n + t.rows, 0);
}

// ---- containers ----

export interface HostContainers {
  host: string;
  containers: { name: string; state: string; image: string; env: string[] }[];
}

/** Every container tars-docker labelled on every host, running or not. */
export async function labelledContainers(): Promise<HostContainers[]> {
  const config = labConfig();
  return Promise.all(
    config.hosts.map(async (h) => {
      const conn = await connectEngine(h);
      try {
        const list = await conn.docker.listContainers({ all: true, filters: { label: [`io.tars-docker.project=${config.project}`] } });
        const containers = await Promise.all(
          list.map(async (c) => {
            const info = await conn.docker.getContainer(c.Id).inspect();
            return { name: info.Name.replace(/^\//, ''), state: info.State.Status, image: info.Config.Image, env: info.Config.Env ?? [] };
          }),
        );
        return { host: h.name, containers };
      } finally {
        await conn.close();
      }
    }),
  );
}

// ---- registry probe ----

function accepts(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect({ host, port, timeout: timeoutMs });
    const done = (v: boolean) => {
      sock.destroy();
      ok(v);
    };
    sock.once('connect', () => done(true)).once('timeout', () => done(false)).once('error', () => done(false));
  });
}

export interface ProbeTick {
  at: number;
  open: boolean[];
}

/** Tries a TCP connection to every address's registry port every `everyMs`, until stopped. */
export function startRegistryProbe(addresses: string[], everyMs = 100): { stop(): Promise<ProbeTick[]> } {
  const ticks: ProbeTick[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      ticks.push({ at, open: await Promise.all(addresses.map((a) => accepts(a, 17890, 500))) });
      await sleep(Math.max(0, everyMs - (Date.now() - at)));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return ticks;
    },
  };
}

// ---- the CLI as a process, and its journal ----

export interface JournalEvent {
  at: string;
  runId: string;
  event: string;
  step?: string;
  detail?: Record<string, unknown>;
}

export function readJournal(): JournalEvent[] {
  let text = '';
  try {
    text = readFileSync(JOURNAL, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((l) => {
    try {
      return l ? [JSON.parse(l) as JournalEvent] : [];
    } catch {
      return [];
    }
  });
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** The CLI against the lab, in a process group of its own (so the docker-compose it runs can be waited for). */
export function startCli(args: string[], env: Record<string, string> = {}, files: { envFile?: string; inventory?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, '--', '--env-file', files.envFile ?? LAB_ENV, '--inventory', files.inventory ?? LAB_INVENTORY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((ok) =>
    child.on('close', (code, signal) => ok({ code: code ?? -1, signal, stdout, stderr })),
  );
  return { child, done };
}

/**
 * Calls `onEvent` synchronously for each whole line appended to the journal after this call (inotify, with a
 * 20 ms poll as a fallback), so a test can react within a millisecond or two of a step starting.
 */
export function followJournal(onEvent: (e: JournalEvent) => void): () => void {
  mkdirSync(dirname(JOURNAL), { recursive: true });
  appendFileSync(JOURNAL, '');
  let offset = statSync(JOURNAL).size;
  let partial = '';
  const read = () => {
    const fd = openSync(JOURNAL, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line) onEvent(JSON.parse(line) as JournalEvent);
    } finally {
      closeSync(fd);
    }
  };
  const watcher = watch(JOURNAL, read);
  const timer = setInterval(read, 20);
  return () => {
    watcher.close();
    clearInterval(timer);
    read();
  };
}

/** Pids of the live processes in a process group (the killed CLI's docker-compose children, for instance). */
export function processGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export async function waitGroupGone(pgid: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (processGroup(pgid).length > 0) {
    if (Date.now() > end) throw new Error(`processes of group ${pgid} still alive after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface KillResult {
  runId: string;
  /** The step had started and not finished when the SIGKILL came. */
  landed: boolean;
  result: CliResult & { signal: NodeJS.Signals | null };
}

/**
 * Runs the CLI and SIGKILLs it (the tars-docker process only, as a crash would) when the journal shows `step`
 * started, or, with `barrier` (e.g. `h1.stopped`), when the restart reaches that point. `onStep` sees every step-start.
 * Returns once the process and whatever it had spawned are gone.
 */
export async function killAtStep(
  args: string[],
  step: string,
  opts: { barrier?: string; onStep?: (e: JournalEvent) => void; files?: { envFile?: string; inventory?: string } } = {},
): Promise<KillResult> {
  const barriers = mkdtempSync(join(tmpdir(), 'td-barrier-'));
  const run = startCli(args, { TARS_DOCKER_TEST_BARRIER: barriers }, opts.files);
  const pgid = run.child.pid!;
  let runId = '';
  let killedAt: number | undefined;
  const kill = () => {
    if (killedAt !== undefined) return;
    killedAt = Date.now();
    try {
      process.kill(pgid, 'SIGKILL');
    } catch {
      // already exited
    }
  };
  const stop = followJournal((e) => {
    if (e.event !== 'step-start' && e.event !== 'run-start') return;
    runId ||= e.runId;
    opts.onStep?.(e);
    if (e.event === 'step-start' && e.step === step && !opts.barrier) kill();
  });
  // A restart stops at each of its points (HOST.POINT appears in the directory) until the file is removed: the one
  // named in `barrier` is where the process dies; every other point is let through at once.
  const release = () => {
    for (const name of readdirSync(barriers)) {
      if (name === opts.barrier) kill();
      else rmSync(join(barriers, name), { force: true });
    }
  };
  const watcher = watch(barriers, release);
  const timer = setInterval(release, 20);
  const result = await run.done;
  watcher.close();
  clearInterval(timer);
  rmSync(barriers, { recursive: true, force: true });
  stop();
  await waitGroupGone(pgid);
  const mine = readJournal().filter((e) => e.runId === runId);
  const started = mine.some((e) => e.event === 'step-start' && e.step === step);
  const finished = mine.some((e) => (e.event === 'step-done' || e.event === 'step-failed') && e.step === step);
  return { runId, landed: result.signal === 'SIGKILL' && started && !finished, result };
}
