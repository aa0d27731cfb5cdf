import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { openSession, type ClusterSession } from '../cluster/session.js';
import { enforceGuard } from '../cluster/guard-cluster.js';
import { journalFile } from '../cluster/state-dir.js';
import { installCluster } from '../rollout/install-run.js';
import { ExitCode, InputError } from '../errors.js';
import { labUp, writeLabConfig, type LabInfra } from '../lab/index.js';
import { buildImagesForLab, LAB_FRAMEWORK_REPO, LAB_NODE_REPO, LAB_VERSIONS } from '../lab/images.js';
import { existingDatabases } from '../db/schema/introspect.js';
import { TARS_DATABASES } from '../db/tars-databases.js';
import { STANDIN_SPEEDS, writeStandinSpeed, type StandinSpeed } from '../lab/standin-speed.js';
import type { Step } from '../steps.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult } from './output.js';
import { planView } from './run-view.js';
import { showSteps } from './tasks.js';

export async function run([opts]: unknown[], g: GlobalOptions): Promise<number> {
  const o = opts as { hosts: number; version?: string; dir: string; standinSpeed?: string };
  const hosts = o.hosts;
  const version = o.version ?? LAB_VERSIONS[0]!;
  if (!LAB_VERSIONS.includes(version)) throw new InputError(`--version must be one of the lab versions: ${LAB_VERSIONS.join(', ')}`);
  const speed = o.standinSpeed as StandinSpeed | undefined;
  if (speed !== undefined && !STANDIN_SPEEDS.includes(speed)) throw new InputError(`--standin-speed must be one of: ${STANDIN_SPEEDS.join(', ')}`);
  const dir = resolve(o.dir);
  let infra: LabInfra | undefined;
  let files: { envFile: string; inventory: string } | undefined;
  let session: ClusterSession | undefined;
  const steps: Step[] = [
    { title: `Start the lab: ${hosts} hosts, registries, MariaDB`, run: async (p) => void (infra = await labUp({ dir, hosts }, p)) },
    { title: 'Build and push the stand-in images', run: async (p) => void (await buildImagesForLab(infra!, p)) },
    {
      title: 'Write .env and tars-docker.yml',
      run: async () => {
        // Hosts added later with `lab add-host` join the cluster only through `scale add-host`.
        files = writeLabConfig({ ...infra!, hosts: infra!.hosts.slice(0, hosts) }, { frameworkImage: `${infra!.registry.plain}/${LAB_FRAMEWORK_REPO}`, nodeImage: `${infra!.registry.plain}/${LAB_NODE_REPO}` });
      },
    },
    {
      title: 'Connect to the lab cluster',
      run: async () => {
        session = await openSession(loadConfig({ envFile: files!.envFile, inventory: files!.inventory }));
        // without the flag the lab keeps the speed it was given before (a fresh lab: real)
        if (speed) await writeStandinSpeed(session.mysql, speed);
      },
    },
  ];
  try {
    await showSteps(steps, g.json);
    const installed = (await existingDatabases(session!.mysql, TARS_DATABASES)).length > 0;
    if (installed) {
      if (!g.json) process.stdout.write('the lab cluster is installed already; kept as it is\n');
    } else {
      await enforceGuard(session!.config, [...session!.hosts.values()]);
      await installCluster(session!, version, { show: (steps) => showSteps(steps, g.json), view: planView(g.json), journalFile: journalFile(session!.config) });
    }
  } finally {
    await session?.close();
  }
  const doc = {
    dir,
    envFile: files!.envFile,
    inventory: files!.inventory,
    registry: { plain: infra!.registry.plain, auth: infra!.registry.auth, username: infra!.registry.username },
    mysql: { host: infra!.mysql.host, port: infra!.mysql.port, user: infra!.mysql.user },
    hosts: session!.config.hosts.map((h) => ({ name: h.name, address: h.address, docker: h.docker.url, role: h.role })),
  };
  if (g.json) setJsonResult(doc);
  else process.stdout.write(`lab up in ${dir}: use --env-file ${doc.envFile} --inventory ${doc.inventory}\n`);
  return ExitCode.ok;
}
