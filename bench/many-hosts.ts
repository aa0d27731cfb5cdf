// The cluster at 1, 4 and 16 hosts on one lab: `status` and `check` timed from outside in interleaved pairs against
// one host, upgrades of 4 nodes (--batch 4) and 14 nodes (--batch 7) against one node, and the peak RSS of
// tars-docker during the 16-host upgrade. Nodes move by NODE_TAG so the master stays and only they restart.
import { resolve } from 'node:path';
import Docker from 'dockerode';
import { freshCluster, LAB_DIR, LAB_ENV, labConfig } from '../test/support/lab.js';
import { pull } from './by-hand.js';
import { envWithNodeTag, NODE_MOVE_TAGS } from './downtime.js';
import { measureCommand, showSpread, spread, type Measured, type Spread } from './pairs.js';
import { inventoryWith, mustCli } from './support.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const BIN = resolve('bin/tars-docker');
/** 16 hosts (master, slave, 14 nodes) plus h17, the single node the node upgrades are compared with. */
const LAB_HOSTS = 17;
const TAGS = NODE_MOVE_TAGS;

type Ratio = { ratio: Spread; many: Spread; one: Spread };

/** `many` and `one` alternately, PAIRS times; the ratio of each pair is many/one (above 1: many is slower). */
async function against(many: () => Promise<Measured>, one: () => Promise<Measured>): Promise<Ratio & { manyRuns: Measured[] }> {
  const m: Measured[] = [];
  const o: Measured[] = [];
  for (let i = 0; i < PAIRS; i++) {
    m.push(await many());
    o.push(await one());
  }
  const secs = (xs: Measured[]) => spread(xs.map((x) => x.seconds));
  return { ratio: spread(m.map((x, i) => x.seconds / o[i]!.seconds)), many: secs(m), one: secs(o), manyRuns: m };
}

const hostNo = (name: string) => Number(name.slice(1));

export async function benchManyHosts(): Promise<{ lines: string[]; figures: Record<string, unknown> }> {
  await mustCli(['--json', 'lab', 'up', '--hosts', String(LAB_HOSTS), '--dir', LAB_DIR]);
  await freshCluster('v3.0.16');
  const upTo = (n: number) => inventoryWith((h) => hostNo(h.name) <= n);
  const inv = { 1: upTo(1), 4: upTo(4), 16: upTo(16) };
  const cli = (inventory: string, args: string, ok = [0]) => () => measureCommand(`${BIN} --env-file ${LAB_ENV} --inventory ${inventory} ${args}`, {}, ok);
  const lines: string[] = [];
  const figures: Record<string, unknown> = { pairs: PAIRS };
  const show = (r: Ratio) => `${showSpread(r.ratio)} (${showSpread(r.many, 2, ' s')} vs ${showSpread(r.one, 2, ' s')})`;

  for (const command of ['status', 'check'] as const) {
    const ok = command === 'check' ? [0, 10] : [0];
    const four = await against(cli(inv[4], `--json ${command}`, ok), cli(inv[1], `--json ${command}`, ok));
    const sixteen = await against(cli(inv[16], `--json ${command}`, ok), cli(inv[1], `--json ${command}`, ok));
    lines.push(`${command}: 4 hosts/1 host ${show(four)}; 16 hosts/1 host ${show(sixteen)} (goal ≤ 1.5x)`);
    figures[command] = { fourVsOne: four.ratio, sixteenVsOne: sixteen.ratio };
  }

  // Both tags on every node first, so no timed run pulls (the first of each kind would otherwise).
  const nodeImage = labConfig().images.node;
  await Promise.all(Array.from({ length: LAB_HOSTS - 2 }, (_, i) => new Docker({ socketPath: `${LAB_DIR}/hosts/h${i + 3}/docker.sock` }))
    .map((docker) => Promise.all(TAGS.map((t) => pull(docker, `${nodeImage}:${t}`)))));
  // Every node's tag is tracked; a run moves the nodes of its inventory to the other tag (they must agree).
  const tags = new Map<string, number>(Array.from({ length: LAB_HOSTS - 2 }, (_, i) => [`h${i + 3}`, 1]));
  const envs = TAGS.map(envWithNodeTag);
  const single = inventoryWith((h) => h.role === 'master' || h.name === `h${LAB_HOSTS}`);
  const nodesOf = (names: string[]) => {
    const now = new Set(names.map((n) => tags.get(n)));
    if (now.size !== 1) throw new Error(`nodes ${names.join(',')} are not on one tag`);
    return 1 - [...now][0]!;
  };
  const move = (inventory: string, names: string[], batch: number) => async () => {
    const to = nodesOf(names);
    const m = await measureCommand(`${BIN} --env-file ${envs[to]} --inventory ${inventory} --yes --json upgrade --to v3.0.16 --no-prune --batch ${batch}`);
    for (const n of names) tags.set(n, to);
    return m;
  };
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `h${a + i}`);
  const fourNodes = inventoryWith((h) => h.role === 'master' || (hostNo(h.name) >= 3 && hostNo(h.name) <= 6));
  const one = move(single, [`h${LAB_HOSTS}`], 1);
  const four = await against(move(fourNodes, range(3, 6), 4), one);
  // an odd number of pairs leaves h3..h6 on the other tag than h7..h16: bring them back, untimed
  if (tags.get('h3') !== tags.get('h7')) await move(fourNodes, range(3, 6), 4)();
  const fourteen = await against(move(inv[16], range(3, 16), 7), one);
  const peak = Math.max(...fourteen.manyRuns.map((m) => m.peakMiB));
  lines.push(`upgrade: 4 nodes --batch 4 / 1 node ${show(four)} (goal ≤ 1.3x); 14 nodes --batch 7 (16 hosts) / 1 node ${show(fourteen)} (goal ≤ 2.5x)`);
  lines.push(`peak RSS of tars-docker during the 16-host upgrade: ${peak.toFixed(0)} MiB (goal ≤ 200 MiB)`);
  Object.assign(figures, { upgrade: { fourVsOne: four.ratio, fourteenVsOne: fourteen.ratio }, upgradePeakMiB: peak });
  return { lines, figures };
}
