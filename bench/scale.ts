// Time from `scale add-host` to a proven join, against the same image started by hand on another new host.
import Docker from 'dockerode';
import { LAB_DIR } from '../test/support/lab.js';
import { pull, runNodeByHand } from './by-hand.js';
import { mustCli, ratio, secs, timed } from './support.js';

interface LabHostDoc {
  name: string;
  address: string;
  endpoints: { unix: string };
}

export async function benchScale(): Promise<string[]> {
  const status = JSON.parse(await mustCli(['--json', 'status'])) as { hosts: { role: string; image: string }[] };
  const image = status.hosts.find((h) => h.role === 'node')!.image;
  const a = JSON.parse(await mustCli(['--json', 'lab', 'add-host', '--dir', LAB_DIR])) as LabHostDoc;
  const ours = await timed(() => mustCli(['--yes', '--json', 'scale', 'add-host', a.endpoints.unix, '--address', a.address, '--role', 'node', '--name', 'bench-scale']));
  await mustCli(['--yes', 'scale', 'remove-host', 'bench-scale']);
  const b = JSON.parse(await mustCli(['--json', 'lab', 'add-host', '--dir', LAB_DIR])) as LabHostDoc;
  const docker = new Docker({ socketPath: b.endpoints.unix.replace('unix://', '') });
  const byHand = await timed(async () => {
    await pull(docker, image);
    return runNodeByHand(docker, image, b.address, 'bench-by-hand');
  });
  await docker.getContainer('bench-by-hand').remove({ force: true });
  return [
    `scale add-host (checks, pull, start, proven join, inventory): ${secs(ours.seconds)}; by hand (pull, docker run, first heartbeat): ${secs(byHand.seconds)}  ratio ${ratio(ours.seconds, byHand.seconds)}`,
  ];
}
