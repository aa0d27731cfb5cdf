// A cluster the way operators start one by hand (TarsDocs installation/docker.md) or with their own compose file:
// no tars-docker labels, their own container names, bind-mounted /data/tars, --restart=always.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { Config, HostConfig } from '../../src/config/types.js';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { hasImage, pullImage } from '../../src/docker/pull.js';
import { listTarsContainers, type TarsContainer } from '../../src/docker/tars-containers.js';
import { labConfig } from './lab.js';

export const MARKER = 'operator-file.txt';

/** What `docker run -d --name=NAME --net=host -e ... -v ... --restart=always IMAGE` sends to the engine. */
export interface HandRun {
  name: string;
  image: string;
  env: string[];
  binds: string[];
  network?: string;
  ip?: string;
  ports?: Record<string, string>;
  cmd?: string[];
}

export async function withEngine<T>(host: HostConfig, fn: (docker: Docker) => Promise<T>): Promise<T> {
  const conn = await connectEngine(host);
  try {
    return await fn(conn.docker);
  } finally {
    await conn.close();
  }
}

export async function dockerRun(host: HostConfig, r: HandRun): Promise<string> {
  return withEngine(host, async (docker) => {
    // like `docker run`, pull what the engine does not have
    if (!(await hasImage(docker, r.image))) await pullImage({ name: host.name, docker }, r.image, labConfig().registry);
    const net = r.network ?? 'host';
    const c = await docker.createContainer({
      name: r.name,
      Image: r.image,
      Env: r.env,
      ...(r.cmd ? { Cmd: r.cmd } : {}),
      ...(r.ports ? { ExposedPorts: Object.fromEntries(Object.keys(r.ports).map((p) => [p, {}])) } : {}),
      HostConfig: {
        NetworkMode: net,
        Binds: r.binds,
        RestartPolicy: { Name: 'always', MaximumRetryCount: 0 },
        ...(r.ports ? { PortBindings: Object.fromEntries(Object.entries(r.ports).map(([p, h]) => [p, [{ HostPort: h }]])) } : {}),
      },
      ...(r.ip ? { NetworkingConfig: { EndpointsConfig: { [net]: { IPAMConfig: { IPv4Address: r.ip } } } } } : {}),
    });
    await c.start();
    return c.id;
  });
}

/** A data directory on the engine's machine (the lab's engines share this file system) with a file of the operator in it. */
export function dataDir(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), `${name}\n`);
  return dir;
}

const run = promisify(execFile);

/** `docker-compose -p PROJECT -f FILE CMD` against a unix-socket engine, as the operator runs it. */
export async function compose(host: HostConfig, project: string, file: string, args: string[]): Promise<void> {
  if (host.docker.kind !== 'unix') throw new Error(`${host.name}: the test drives compose over unix sockets only`);
  await run('docker-compose', ['-p', project, '-f', file, ...args], { env: { ...process.env, DOCKER_HOST: host.docker.url } });
}

export async function tarsContainers(host: HostConfig, config: Config = labConfig()): Promise<TarsContainer[]> {
  return withEngine(host, (docker) => listTarsContainers(docker, { ...config.images, project: config.project }));
}

/** Removes every Tars container on the host (labelled or not), as a clean slate for the next test. */
export async function removeTarsContainers(host: HostConfig): Promise<void> {
  await withEngine(host, async (docker) => {
    const config = labConfig();
    for (const c of await listTarsContainers(docker, { ...config.images, project: config.project })) {
      await docker.getContainer(c.id).remove({ force: true, v: true }).catch(() => {});
    }
  });
}

export async function inspect(host: HostConfig, id: string): Promise<Docker.ContainerInspectInfo> {
  return withEngine(host, (docker) => docker.getContainer(id).inspect());
}
