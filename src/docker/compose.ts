import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as compose from 'docker-compose';
import { HostError } from '../errors.js';
import { redact } from '../redact.js';
import type { DockerHost } from './host.js';

/** Compose v2 (`docker compose`) when the plugin is installed, else the standalone `docker-compose` binary. */
let executable: Promise<compose.IDockerComposeOptions['executable']> | undefined;
function composeExecutable(): Promise<compose.IDockerComposeOptions['executable']> {
  executable ??= promisify(execFile)('docker', ['compose', 'version'])
    .then(() => ({ executablePath: 'docker' }))
    .catch(() => ({ standalone: true as const }));
  return executable;
}

export interface ComposeTarget {
  host: Pick<DockerHost, 'name' | 'composeEnv'>;
  project: string;
  composeFile: string;
  service: string;
  vars: Record<string, string>;
}

/** Creates or recreates the service's container on that host; compose decides from the config whether it changed. */
export async function composeUp(t: ComposeTarget, opts: { forceRecreate?: boolean } = {}): Promise<void> {
  await run(t, 'up', ['-d', '--no-deps', ...(opts.forceRecreate ? ['--force-recreate'] : [])]);
}

export async function composeStop(t: ComposeTarget): Promise<void> {
  await run(t, 'stop', []);
}

async function run(t: ComposeTarget, command: 'up' | 'stop', args: string[]): Promise<void> {
  const options: compose.IDockerComposeOptions = {
    executable: await composeExecutable(),
    config: t.composeFile,
    composeOptions: ['--project-name', t.project],
    // Secrets travel in the environment of the compose process, never on its command line.
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root', ...t.host.composeEnv, ...t.vars },
    log: false,
  };
  try {
    await compose.execCompose(command, [...args, t.service], options);
  } catch (err) {
    const out = err as { exitCode?: number; err?: string; out?: string };
    const detail = (out.err || out.out || String(err)).trim().split('\n').slice(-3).join(' | ');
    throw new HostError(t.host.name, `docker-compose ${command} failed: ${redact(detail)}`);
  }
}
