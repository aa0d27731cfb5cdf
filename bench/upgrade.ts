// Per-host downtime of tars-docker's restart vs a bare docker stop + docker run, and total upgrade time for
// 1, 2 and 4 node hosts with --batch 1 and --batch 4.
import Docker from 'dockerode';
import { cli, freshCluster, LAB_DIR } from '../test/support/lab.js';
import { pull, restartNodeByHand, runNodeByHand } from './by-hand.js';
import { inventoryWith, mustCli, ratio, secs, timed } from './support.js';

interface LabHostDoc {
  name: string;
  address: string;
  endpoints: { unix: string };
}

async function addNode(name: string): Promise<void> {
  const host = JSON.parse(await mustCli(['--json', 'lab', 'add-host', '--dir', LAB_DIR])) as LabHostDoc;
  await mustCli(['--yes', '--json', 'scale', 'add-host', host.endpoints.unix, '--address', host.address, '--role', 'node', '--name', name]);
}

export async function benchUpgrade(): Promise<string[]> {
  const lines: string[] = [];
  await freshCluster('v3.0.14');
  await addNode('bn1');
  await addNode('bn2');
  const config = JSON.parse(await mustCli(['--json', 'status'])) as { hosts: { name: string; role: string; image: string }[] };
  const nodeImage = config.hosts.find((h) => h.role === 'node')!.image.replace(/:[^:]+$/, '');

  // Downtime: tars-docker's restart of node hosts (from the upgrade result) vs stop + run by hand.
  const up = JSON.parse(await mustCli(['--yes', '--json', 'upgrade', '--to', 'v3.0.16'])) as { result: { hosts: { name: string; downtimeSeconds: number }[] } };
  const nodes = up.result.hosts.filter((h) => ['h3', 'h4', 'bn1', 'bn2'].includes(h.name));
  const ours = nodes.reduce((n, h) => n + h.downtimeSeconds, 0) / nodes.length;
  const spare = JSON.parse(await mustCli(['--json', 'lab', 'add-host', '--dir', LAB_DIR])) as LabHostDoc;
  const docker = new Docker({ socketPath: spare.endpoints.unix.replace('unix://', '') });
  await pull(docker, `${nodeImage}:v3.0.14`);
  await pull(docker, `${nodeImage}:v3.0.16`);
  await runNodeByHand(docker, `${nodeImage}:v3.0.14`, spare.address, 'bench-node');
  const bare = await restartNodeByHand(docker, 'bench-node', `${nodeImage}:v3.0.16`, spare.address);
  await docker.getContainer('bench-node').remove({ force: true });
  lines.push(`node downtime: tars-docker ${secs(ours)} (mean of ${nodes.length}), bare stop+run ${secs(bare)}  tars-docker/bare ${ratio(ours, bare)}`);

  // Total upgrade time by number of node hosts and batch size (master and slave included every time).
  const order = ['h3', 'h4', 'bn1', 'bn2'];
  for (const k of [1, 2, 4]) {
    const inventory = inventoryWith((h) => h.role !== 'node' || order.slice(0, k).includes(h.name));
    for (const batch of [1, 4]) {
      await mustCli(['--yes', '--json', 'rollback', '--to', 'v3.0.14', '--batch', '4'], { inventory });
      const t = await timed(() => mustCli(['--yes', '--json', 'upgrade', '--to', 'v3.0.16', '--batch', String(batch)], { inventory }));
      lines.push(`upgrade v3.0.14 -> v3.0.16, ${k} node host(s), --batch ${batch}: ${secs(t.seconds)}`);
    }
  }
  await mustCli(['--yes', 'scale', 'remove-host', 'bn1']);
  await mustCli(['--yes', 'scale', 'remove-host', 'bn2']);
  await cli(['--yes', 'upgrade', '--to', 'v3.0.16']);
  return lines;
}
