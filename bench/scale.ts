// `scale add-host` from outside (checks, pull, start, proven join, inventory) against the same image pulled and
// run by hand with its first heartbeat, in interleaved pairs on two empty hosts; each run pulls for real (the
// image is removed from the host before it).
import Docker from 'dockerode';
import { LAB_DIR, LAB_ENV, LAB_INVENTORY } from '../test/support/lab.js';
import { pull, runNodeByHand } from './by-hand.js';
import { measureCommand, pairs, showSpread, spread, type Measured, type Spread } from './pairs.js';
import { mustCli } from './support.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);

interface LabHostDoc {
  name: string;
  address: string;
  endpoints: { unix: string };
}

const dockerOf = (h: LabHostDoc) => new Docker({ socketPath: h.endpoints.unix.replace('unix://', '') });

async function removeImage(docker: Docker, image: string): Promise<void> {
  await docker.getImage(image).remove({ force: true }).catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 404) throw err;
  });
}

export async function benchScale(): Promise<{ lines: string[]; figures: { ratio: Spread; pairs: number; ours: Measured[]; byHand: Measured[] } }> {
  const status = JSON.parse(await mustCli(['--json', 'status'])) as { hosts: { role: string; image: string }[] };
  const image = status.hosts.find((h) => h.role === 'node')!.image;
  const a = JSON.parse(await mustCli(['--json', 'lab', 'add-host', '--dir', LAB_DIR])) as LabHostDoc;
  const b = JSON.parse(await mustCli(['--json', 'lab', 'add-host', '--dir', LAB_DIR])) as LabHostDoc;
  const cliArgs = `--env-file ${LAB_ENV} --inventory ${LAB_INVENTORY}`;
  const ours = async (): Promise<Measured> => {
    await removeImage(dockerOf(a), image);
    const m = await measureCommand(`bin/tars-docker ${cliArgs} --yes --json scale add-host ${a.endpoints.unix} --address ${a.address} --role node --name bench-scale`);
    await mustCli(['--yes', '--json', 'scale', 'remove-host', 'bench-scale']);
    return m;
  };
  const byHand = async (): Promise<Measured> => {
    const docker = dockerOf(b);
    await removeImage(docker, image);
    const t0 = performance.now();
    await pull(docker, image);
    await runNodeByHand(docker, image, b.address, 'bench-by-hand');
    const seconds = (performance.now() - t0) / 1000;
    await docker.getContainer('bench-by-hand').remove({ force: true });
    return { seconds, peakMiB: 0 };
  };
  const r = await pairs(PAIRS, ours, byHand);
  // pairs() gives base/ours; the goal is stated as ours/by hand
  const slower = { median: 1 / r.ratio.median, min: 1 / r.ratio.max, max: 1 / r.ratio.min };
  const s = (ms: Measured[]) => showSpread(spread(ms.map((m) => m.seconds)), 2, ' s');
  return {
    lines: [
      `scale add-host (checks, pull, start, proven join, inventory) ${s(r.ours)}; by hand (pull, docker run, first heartbeat) ${s(r.base)}; tars-docker/by hand ${showSpread(slower)} (${PAIRS} interleaved pairs, goal ≤ 1.5x)`,
    ],
    figures: { ratio: slower, pairs: PAIRS, ours: r.ours, byHand: r.base },
  };
}
