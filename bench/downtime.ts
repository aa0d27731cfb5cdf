// One node's downtime seen from outside: a probe connects to its Tars port (19385) every 20 ms during
// `tars-docker upgrade` of that node and during a bare `docker stop` + `docker start` of the same container, in
// interleaved pairs; the longest unanswered stretch of each run is its downtime.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostConfig } from '../src/config/types.js';
import { freshCluster, LAB_DIR, LAB_ENV, labConfig } from '../test/support/lab.js';
import { spread, showSpread, type Spread } from './pairs.js';
import { startProbe } from './probe.js';
import { inventoryWith, mustCli } from './support.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const NODE_PORT = 19385;
const run = promisify(execFile);

/**
 * Two tags of the node image that are different images: tars-node is tagged by flavour, not by version, and the lab's
 * nodes start on latest, which is full. A node moved from one to the other is recreated while the master stays.
 */
export const NODE_MOVE_TAGS = ['cpp', 'full'] as const;

/** A copy of the lab .env whose NODE_TAG pins the node image, so one node moves while the master stays. */
export function envWithNodeTag(tag: string): string {
  const text = readFileSync(LAB_ENV, 'utf8').replace(/^NODE_TAG=.*$/m, '');
  const file = join(mkdtempSync(join(tmpdir(), 'td-bench-')), '.env');
  writeFileSync(file, `${text.trimEnd()}\nNODE_TAG=${tag}\n`, { mode: 0o600 });
  return file;
}

async function gapDuring(address: string, action: () => Promise<unknown>): Promise<number> {
  const probe = await startProbe(address, NODE_PORT);
  await action();
  return (await probe.stop()).longestGapSeconds;
}

interface NodeDowntime {
  host: string;
  transport: string;
  ours: Spread;
  bare: Spread;
  overBareSeconds: Spread;
}

async function nodeDowntime(node: HostConfig, envs: string[]): Promise<NodeDowntime> {
  // the bare baseline runs where an operator would, on the engine's own socket
  const socket = `unix://${LAB_DIR}/hosts/${node.name}/docker.sock`;
  const inventory = inventoryWith((h) => h.role === 'master' || h.name === node.name);
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // the node starts on latest (full): even pairs move it to cpp, odd ones back to full
    const tag = NODE_MOVE_TAGS[i % 2]!;
    const envFile = envs[i % 2]!;
    ours.push(await gapDuring(node.address, () => mustCli(['--yes', '--json', 'upgrade', '--to', 'v3.0.16', '--no-prune'], { inventory, envFile })));
    const running = (await run('docker', ['-H', socket, 'ps', '--format', '{{.Names}} {{.Image}}'])).stdout.trim().split('\n');
    const [name, image] = running[0]!.split(' ');
    // the upgrade must have moved the node, or its gap measured nothing
    if (running.length !== 1 || !image!.endsWith(`:${tag}`)) throw new Error(`${node.name}: expected one container on ${tag}, found ${running.join(', ')}`);
    bare.push(await gapDuring(node.address, async () => {
      await run('docker', ['-H', socket, 'stop', name!]);
      await run('docker', ['-H', socket, 'start', name!]);
    }));
  }
  // back where it started, so the next node's pairs begin on the same version
  if (PAIRS % 2 === 1) await mustCli(['--yes', '--json', 'upgrade', '--to', 'v3.0.16', '--no-prune'], { inventory, envFile: envs[1]! });
  return {
    host: node.name,
    transport: node.docker.url.split(':')[0]!,
    ours: spread(ours),
    bare: spread(bare),
    overBareSeconds: spread(ours.map((o, i) => o - bare[i]!)),
  };
}

/** A node on a local socket and the lab's node over ssh (BENCH_DOWNTIME_HOST=NAME measures one). */
export async function benchDowntime(): Promise<{ lines: string[]; figures: { pairs: number; nodes: NodeDowntime[] } }> {
  await freshCluster('v3.0.16');
  const config = labConfig();
  const wanted = process.env.BENCH_DOWNTIME_HOST;
  const nodes = wanted
    ? config.hosts.filter((h) => h.name === wanted)
    : ['unix', 'ssh'].flatMap((t) => config.hosts.filter((h) => h.role === 'node' && h.docker.url.startsWith(`${t}:`)).slice(0, 1));
  const envs = NODE_MOVE_TAGS.map(envWithNodeTag);
  const results: NodeDowntime[] = [];
  for (const node of nodes) results.push(await nodeDowntime(node, envs));
  return {
    lines: results.map(
      (r) =>
        `node downtime seen by a probe on :${NODE_PORT} every 20 ms (${r.host} over ${r.transport}, ${PAIRS} interleaved pairs): tars-docker upgrade ${showSpread(r.ours, 2, ' s')}, bare docker stop + start ${showSpread(r.bare, 2, ' s')}; tars-docker − bare ${showSpread(r.overBareSeconds, 2, ' s')} (goal ≤ 0.30 s)`,
    ),
    figures: { pairs: PAIRS, nodes: results },
  };
}
