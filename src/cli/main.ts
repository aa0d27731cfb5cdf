import { Command, Option } from 'commander';
import type { GlobalOptions } from './globals.js';
import { ExitCode, InputError } from '../errors.js';
import { installSignalHandlers } from './interrupt.js';
import { batchSize, healthTimeout, wholeNumber } from './numbers.js';
import { joinRepeated } from './repeatable.js';
import { takeJsonResult, writeJson } from './output.js';
import { oneLine, reportError } from './report-error.js';


type CommandModule = { run(args: unknown[], globals: GlobalOptions): Promise<number> };

/** Each command's module is imported only when that command runs, so `--help` stays fast. */
const lazy =
  (program: Command, load: () => Promise<CommandModule>, set: (code: number) => void) =>
  async (...args: unknown[]) => {
    const mod = await load();
    set(await mod.run(args.slice(0, -1), globalsOf(program)));
  };

function globalsOf(program: Command): GlobalOptions {
  const o = program.opts();
  return {
    envFile: o.envFile,
    inventory: o.inventory,
    json: Boolean(o.json),
    yes: Boolean(o.yes),
    verbose: Boolean(o.verbose),
    acceptNewHostKeys: Boolean(o.acceptNewHostKeys),
    onHostKeyRecorded: (line) => process.stderr.write(`tars-docker: ${line}\n`),
  };
}

/** Parsed to milliseconds, but `--help` must show the default in the seconds the flag takes. */
function healthTimeoutOption(description: string): Option {
  return new Option('--health-timeout <seconds>', description).argParser(healthTimeout).default(180_000, '180');
}

/** A group without its subcommand gets one line naming the choices, not the whole help (`backup --help` has that). */
function needsSubcommand(parent: Command): void {
  const names = parent.commands.map((c) => c.name());
  // No declared argument, so the usage stays `[options] [command]`; an unknown word arrives in `args`.
  parent.allowExcessArguments(true).action((_options: unknown, self: Command) => {
    const given = self.args[0];
    const what = given === undefined ? 'needs a subcommand' : `has no subcommand "${given}"`;
    throw new InputError(`${parent.name()} ${what}: one of ${names.join(', ')}`);
  });
}

export async function main(argv: string[]): Promise<number> {
  installSignalHandlers();
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let code: number = ExitCode.ok;
  const set = (c: number) => (code = c);
  const program = new Command('tars-docker')
    .description('Image lifecycle of a Tars framework cluster deployed with Docker')
    .option('--env-file <file>', 'the .env with MYSQL_*, images and registry settings', '.env')
    .option('--inventory <file>', 'the inventory of hosts', 'tars-docker.yml')
    .option('--json', 'print one JSON document instead of progress', false)
    .option('--yes', 'do not ask for confirmation', false)
    .option('--verbose', 'print stack traces of errors', false)
    .option('--accept-new-host-keys', 'record the host key of an ssh host seen for the first time (a changed key is always refused)', false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(`${oneLine(s)}\n`) });

  program.command('status').description('every host: container, image, version, heartbeat, verdict')
    .action(lazy(program, () => import('./status.js'), set));
  program.command('install').description('bring an empty cluster up: master, then slaves, then nodes')
    .requiredOption('--version <tag>', 'framework version to install, e.g. v3.0.14')
    .option('--dry-run', 'check that the cluster is empty, print the plan and change nothing', false)
    .action(lazy(program, () => import('./install.js'), set));

  program.command('guard').description('find REBUILD and inconsistent env in every source; --fix rewrites REBUILD=false in files')
    .option('--fix', 'rewrite REBUILD=false in the files where it was found (never edits a running container)', false)
    .option('--compose <file...>', 'more compose files to check', [])
    .action(lazy(program, () => import('./guard.js'), set));

  const checkOptions = (c: Command) =>
    c.option('--image <which>', 'framework, node or all', 'all')
      .option('--pre', 'consider prerelease versions', false)
      .option('--include <regex>', 'only tags matching this')
      .option('--exclude <regex>', 'ignore tags matching this');
  checkOptions(program.command('check').description('newest framework/node versions in the registry, and which hosts are behind'))
    .action(lazy(program, () => import('./check.js'), set));
  checkOptions(program.command('watch').description('run check on a cron schedule and notify once per news'))
    .option('--cron <expr>', 'cron schedule (croner syntax), e.g. "0 */6 * * *"')
    .option('--notify <url...>', 'webhook, Slack, WeCom or DingTalk robot URL (repeatable)', [])
    .option('--state <file>', 'what was already announced', '/var/lib/tars-docker/watch-state.json')
    .option('--once', 'run one check and exit (for cron and systemd timers)', false)
    .option('--metrics <host:port>', 'serve Prometheus /metrics and /healthz there, e.g. 127.0.0.1:9464')
    .option('--upgrade <policy>', 'upgrade unattended to the newest patch (same minor) or minor (same major) version, only inside --window')
    .option('--window <spec...>', 'maintenance window "DAYS HH:MM+DURATION ZONE", e.g. "Sat 02:00+2h Europe/Berlin" (repeatable)', [])
    .action(lazy(program, () => import('./watch.js'), set));

  const rolloutOptions = (c: Command) =>
    c.option('--batch <n>', 'node hosts restarted at once (1-1000)', batchSize, 1)
      .addOption(healthTimeoutOption('how long a restarted host may take to prove it is healthy (1-86400)'))
      .option('--dry-run', 'print the plan and change nothing', false)
      .option('--backup-dir <dir>', 'where database backups go (default: .tars-docker/backups beside the inventory)');
  rolloutOptions(program.command('upgrade').description('pull everywhere, back up, migrate, restart host by host with health gates'))
    .option('--to <version>', 'target version, e.g. v3.0.16')
    .option('--resume', 'continue the interrupted run recorded in the journal', false)
    .option('--allow-downgrade', 'allow a target older than the running version', false)
    .option('--no-prune', 'keep every old image (default: prune --keep 2 after a successful upgrade)')
    .action(lazy(program, () => import('./upgrade.js'), set));
  rolloutOptions(program.command('rollback').description('move hosts back to an earlier version (default: before the last upgrade)'))
    .option('--to <version>', 'version to go back to')
    .action(lazy(program, () => import('./rollback.js'), set));
  program.command('prune').description('remove on each host the Tars images no container and no rollback needs, keeping the N newest per repository')
    .option('--keep <n>', 'newest images kept per repository (1-100); those in use and the rollback target always stay', wholeNumber(1, 100), 2)
    .option('--dry-run', 'print what would go and what stays, change nothing', false)
    .action(lazy(program, () => import('./prune.js'), set));
  program.command('history').description('past upgrades and rollbacks, from MySQL')
    .action(lazy(program, () => import('./history.js'), set));

  program.command('adopt [endpoint...]').description('find the Tars containers on these engines (however they were started) and write the inventory')
    .option('--out <file>', 'inventory to write (default: --inventory)')
    .option('--env-out <file>', 'also write the .env from the master container\'s env (mode 0600)')
    .option('--tls-ca <file>').option('--tls-cert <file>').option('--tls-key <file>')
    .option('--identity-file <file>', 'ssh private key for ssh:// endpoints')
    .option('--from-db', 'take the hosts from db_tars.t_node_info (MySQL from --env-file) instead of ENDPOINTs', false)
    .option('--ssh-user <user>', 'with --from-db: the ssh user on every host')
    .option('--force', 'overwrite --out / --env-out', false)
    .action(lazy(program, () => import('./adopt.js'), set));

  const scale = program.command('scale').description('add a container host to the cluster, or remove one');
  scale.command('add-host <endpoint>').description('connect, check, pull, start, prove the join, add to the inventory')
    .requiredOption('--role <role>', 'slave or node')
    .option('--name <name>', 'inventory name (default: role and address)')
    .option('--address <addr>', 'address Tars binds on that host (default: the endpoint host)')
    .option('--tls-ca <file>').option('--tls-cert <file>').option('--tls-key <file>')
    .option('--identity-file <file>', 'ssh private key for ssh:// endpoints')
    .addOption(healthTimeoutOption('how long the new host may take to heartbeat (1-86400)'))
    .option('--dry-run', 'check the host and print what would happen', false)
    .action(lazy(program, () => import('./scale.js').then((m) => ({ run: m.runAdd })), set));
  scale.command('remove-host <name>').description('stop and remove its container, mark it inactive, drop it from the inventory')
    .option('--dry-run', 'print what would happen', false)
    .action(lazy(program, () => import('./scale.js').then((m) => ({ run: m.runRemove })), set));

  const migrate = program.command('migrate').description('bring db_tars_web and db_user_system to a version\'s schema without losing a row');
  const migrateOptions = (c: Command) =>
    c.requiredOption('--to <version>', 'the version whose schema is the target')
      .option('--db <list>', 'databases to migrate, comma-separated or repeated (default: db_tars_web,db_user_system)', joinRepeated)
      .option('--schema-dir <dir>', 'read the target .sql files from this folder instead of the target image')
      .option('--backup-dir <dir>', 'where backups go (default: .tars-docker/backups beside the inventory)');
  migrateOptions(migrate.command('plan').description('print the exact SQL and the unsafe findings; changes nothing'))
    .action(lazy(program, () => import('./migrate.js').then((m) => ({ run: m.runPlan })), set));
  migrateOptions(migrate.command('apply').description('back up, apply the safe changes, verify rows and checksums'))
    .action(lazy(program, () => import('./migrate.js').then((m) => ({ run: m.runApply })), set));
  migrateOptions(migrate.command('verify').description('is the live schema at the target, are the rows those of the last backup'))
    .action(lazy(program, () => import('./migrate.js').then((m) => ({ run: m.runVerify })), set));

  const backup = program.command('backup').description('streamed, compressed logical backups of the Tars databases');
  const backupDir = (c: Command) => c.option('--backup-dir <dir>', 'backup folder (default: .tars-docker/backups beside the inventory)');
  backupDir(backup.command('create').description('back up databases (default db_tars, db_tars_web, db_user_system)'))
    .option('--db <list>', 'databases, comma-separated or repeated', joinRepeated)
    .option('--other-db', 'allow databases that are not Tars\'s own (their files hold everything in them)', false)
    .action(lazy(program, () => import('./backup.js').then((m) => ({ run: m.runCreate })), set));
  backupDir(backup.command('list').description('the backups in the backup folder')).action(lazy(program, () => import('./backup.js').then((m) => ({ run: m.runList })), set));
  backupDir(backup.command('verify <id>').description('re-read a backup and compare it with its manifest'))
    .action(lazy(program, () => import('./backup.js').then((m) => ({ run: m.runVerify })), set));
  backupDir(backup.command('restore <id>').description('restore into the same or other databases; refuses non-empty tables without --force'))
    .option('--db <list>', 'only these backed-up databases, comma-separated or repeated', joinRepeated)
    .option('--rename <from=to...>', 'restore database FROM under the name TO', [])
    .option('--force', 'replace tables that hold rows', false)
    .action(lazy(program, () => import('./backup.js').then((m) => ({ run: m.runRestore })), set));

  const lab = program.command('lab').description('a local multi-host lab cluster (root, Linux)');
  lab.command('up').description('start the lab and install a cluster on it')
    .option('--hosts <n>', 'number of hosts (1-50)', wholeNumber(1, 50), 4)
    .option('--version <tag>', 'framework version to install (default: the lowest lab version)')
    .option('--dir <dir>', 'lab directory', '.lab')
    .option('--standin-speed <speed>', 'real: the stand-ins keep the real images\' intervals and start (default); fast: for tests not about timing')
    .action(lazy(program, () => import('./lab-up.js'), set));
  lab.command('add-host').description('start one more empty host (dockerd only)')
    .option('--dir <dir>', 'lab directory', '.lab')
    .action(lazy(program, () => import('./lab-add-host.js'), set));
  lab.command('down').description('remove every process, namespace, link and file of the lab')
    .option('--dir <dir>', 'lab directory', '.lab')
    .action(lazy(program, () => import('./lab-down.js'), set));

  for (const parent of [scale, migrate, backup, lab]) needsSubcommand(parent);

  // bin/tars-docker passes `--` first so that node itself leaves --env-file alone.
  const args = argv[2] === '--' ? [...argv.slice(0, 2), ...argv.slice(3)] : argv;
  try {
    await program.parseAsync(args);
    const result = takeJsonResult();
    if (result) writeJson(result.doc);
    return code;
  } catch (err) {
    return reportError(err, globalsOf(program));
  }
}
