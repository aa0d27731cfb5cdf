// Backup and restore from outside, through the CLI, against mysqldump | gzip -1 and gunzip | mysql on the same rows,
// in interleaved pairs; and the backup's peak memory at 100k and 1M rows (it streams, so it must not grow).
// Alone, against any MySQL given by an env file and inventory of one's own (no lab needed):
//   BENCH_ENV_FILE=… BENCH_INVENTORY=… BENCH_DB=name node --import tsx bench/backup.ts [rows]
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import type { MysqlConfig } from '../src/config/types.js';
import { withConnection } from '../src/db/connection.js';
import { LAB_ENV, LAB_INVENTORY } from '../test/support/lab.js';
import { fill } from './migrations.js';
import { measureCommand, pairs, showSpread } from './pairs.js';

const BIN = resolve(process.env.BENCH_BIN ?? 'bin/tars-docker');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const ENV_FILE = process.env.BENCH_ENV_FILE ?? LAB_ENV;
const INVENTORY = process.env.BENCH_INVENTORY ?? LAB_INVENTORY;

export interface BackupBenchResult {
  lines: string[];
  figures: Record<string, unknown>;
}

export async function benchBackup(cfg: MysqlConfig, rows = Number(process.env.BENCH_ROWS ?? 1_000_000)): Promise<BackupBenchResult> {
  const db = process.env.BENCH_DB ?? `tdm_bbench_${process.pid}`;
  const small = `${db}_small`;
  const dir = await mkdtemp(join(tmpdir(), 'tdm-bbench-'));
  const cliArgs = `--env-file ${ENV_FILE} --inventory ${INVENTORY}`;
  const mysqlArgs = `-h ${cfg.host} -P ${cfg.port} -u ${cfg.user}`;
  const env = { MYSQL_PWD: cfg.password };
  try {
    await withConnection(cfg, async (conn) => {
      await fill(conn, db, rows);
      await fill(conn, small, Math.max(1, Math.floor(rows / 10)));
      await conn.query(`CREATE DATABASE \`${db}_theirs\``);
    });
    const ourBackup = () => measureCommand(`${BIN} ${cliArgs} backup create --db ${db} --other-db --backup-dir ${dir}/ours`);
    const theirBackup = () => measureCommand(`sh -c 'mysqldump --single-transaction ${mysqlArgs} ${db} | gzip -1 > ${dir}/dump.sql.gz'`, env);
    const backup = await pairs(PAIRS, ourBackup, theirBackup);
    const id = (await readdir(join(dir, 'ours'))).filter((n) => !n.startsWith('.')).sort()[0]!;
    const ourRestore = () => measureCommand(`${BIN} ${cliArgs} --yes backup restore ${id} --rename ${db}=${db}_ours --force --backup-dir ${dir}/ours`);
    const theirRestore = () => measureCommand(`sh -c 'gunzip -c ${dir}/dump.sql.gz | mysql ${mysqlArgs} ${db}_theirs'`, env);
    const restore = await pairs(PAIRS, ourRestore, theirRestore);
    const smallRun = await measureCommand(`${BIN} ${cliArgs} backup create --db ${small} --other-db --backup-dir ${dir}/small`);
    const bigPeak = Math.max(...backup.ours.map((m) => m.peakMiB));
    return {
      lines: [
        `backup of ${rows} rows vs mysqldump --single-transaction | gzip -1: ${showSpread(backup.ratio)} (median [min–max] of ${PAIRS} pairs; above 1x ours is faster)`,
        `restore with verification vs gunzip | mysql: ${showSpread(restore.ratio)}`,
        `backup peak RSS: ${smallRun.peakMiB.toFixed(0)} MiB at ${Math.floor(rows / 10)} rows, ${bigPeak.toFixed(0)} MiB at ${rows} rows (${(bigPeak / smallRun.peakMiB).toFixed(2)}x)`,
      ],
      figures: { rows, backupVsMysqldump: backup.ratio, restoreVsMysql: restore.ratio, peakMiB: { small: smallRun.peakMiB, big: bigPeak } },
    };
  } finally {
    await withConnection(cfg, async (conn) => {
      for (const name of [db, small, `${db}_ours`, `${db}_theirs`]) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cfg = loadConfig({ envFile: ENV_FILE, inventory: INVENTORY }).mysql;
  const result = await benchBackup(cfg, process.argv[2] ? Number(process.argv[2]) : undefined);
  for (const line of result.lines) console.log(line);
  console.log(JSON.stringify(result.figures));
}
