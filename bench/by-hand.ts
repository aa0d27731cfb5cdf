// The baseline of the upgrade and scale benchmarks: the same node image run with plain `docker run`.
import Docker from 'dockerode';
import { heartbeatSince } from '../src/cluster/heartbeats.js';
import { openConnection } from '../src/db/connection.js';
import { labConfig } from '../test/support/lab.js';

export async function pull(docker: Docker, image: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((ok, fail) => docker.modem.followProgress(stream, (err: Error | null) => (err ? fail(err) : ok())));
}

/** `docker run -d --net host` of the node image, then seconds until its heartbeat reaches db_tars. */
export async function runNodeByHand(docker: Docker, image: string, address: string, name: string): Promise<number> {
  const config = labConfig();
  const master = config.hosts.find((h) => h.role === 'master')!;
  const db = await openConnection(config.mysql, { values: 'native' });
  try {
    const [[{ now }]] = (await db.query('SELECT NOW(3) AS now')) as unknown as [[{ now: Date }]];
    const t0 = performance.now();
    const c = await docker.createContainer({
      name, Image: image, Env: [`WEB_HOST=http://${master.address}:3000`, `DOMAIN=${address}`], HostConfig: { NetworkMode: 'host' },
    });
    await c.start();
    while (!(await heartbeatSince(db, 't_node_info', address, now))) await new Promise((ok) => setTimeout(ok, 100));
    return (performance.now() - t0) / 1000;
  } finally {
    await db.end();
  }
}

/** `docker stop` + `docker rm` of the old container, then `docker run` of the new image: the bare restart. */
export async function restartNodeByHand(docker: Docker, oldName: string, image: string, address: string): Promise<number> {
  const t0 = performance.now();
  const old = docker.getContainer(oldName);
  await old.stop({ t: 30 });
  await old.remove();
  await runNodeByHand(docker, image, address, oldName);
  return (performance.now() - t0) / 1000;
}
