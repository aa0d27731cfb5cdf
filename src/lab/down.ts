import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TarsDockerError } from '../errors.js';
import { containerIds, mountsUnder, sweepProcesses, unmountUnder } from './cleanup.js';
import { currentLabDir, releaseOwner, withLabLock } from './lock.js';
import { deleteBridge, deleteHostNet, netnsInode, removeForwardRule, strayNames } from './network.js';
import { labDir, labFiles, runBase } from './paths.js';
import { stopRecorded } from './proc.js';
import { readState } from './state.js';
import { LAB_BRIDGE, LINK_PREFIX, NETNS_PREFIX } from './types.js';
import type { LabState, Log } from './types.js';

const net = { ip: 'ip' };

/** Engines' data roots from the state file and from the directory itself, in case the state file is gone. */
function dataRoots(dir: string, state: LabState | null): string[] {
  const found = [join(dir, 'build', 'data')];
  try {
    for (const h of readdirSync(join(dir, 'hosts'))) found.push(join(dir, 'hosts', h, 'data'));
  } catch {
    // no hosts dir
  }
  const recorded = [...(state?.hosts ?? []).map((h) => h.dataRoot), ...(state?.build ? [state.build.dataRoot] : [])];
  return [...new Set([...found, ...recorded])];
}

/** Graceful first: dockerd stops its containers and its containerd, mariadbd flushes. */
async function stopRecordedProcesses(state: LabState | null): Promise<void> {
  const recs = Object.values(state?.processes ?? {});
  await Promise.all(recs.map((rec) => stopRecorded(rec, rec.exe === 'dockerd' || rec.exe === 'mariadbd' ? 15_000 : 3000)));
}

async function removeNetwork(state: LabState | null): Promise<void> {
  const stray = await strayNames(net);
  const netns = new Set([...(state?.hosts ?? []).map((h) => h.netns), ...stray.netns]);
  for (const ns of netns) await deleteHostNet(net, ns, `${LINK_PREFIX}${ns.slice(NETNS_PREFIX.length)}`);
  for (const link of stray.links) if (link !== LAB_BRIDGE) await deleteHostNet(net, '', link);
  await deleteBridge(net);
  await removeForwardRule(state?.forwardRule ?? null);
}

/**
 * Removes every process, mount, namespace, link and file of the lab in `dir`, by record and then by name,
 * so it also cleans up after a crash or a lost state file. Safe to run when nothing is up.
 */
export async function labDown(dir: string, log: Log): Promise<void> {
  const abs = labDir(dir);
  if (process.getuid?.() !== 0) throw new TarsDockerError('lab: needs root');
  await withLabLock(log, async () => {
    const state = readState(abs);
    const other = currentLabDir();
    // Names are machine-wide: a lab that another directory owns keeps its network.
    const ownsNetwork = other === null || other === abs;
    const run = runBase(abs);
    await stopRecordedProcesses(state);
    const stray = ownsNetwork ? await strayNames(net) : { netns: [] };
    const netns = [...new Set([...(ownsNetwork ? state?.hosts ?? [] : []).map((h) => h.netns), ...stray.netns])];
    const inodes = netns.map(netnsInode).filter((i): i is number => i !== null);
    const swept = await sweepProcesses({ paths: [abs, run], netnsInodes: inodes, containerIds: containerIds(dataRoots(abs, state)) }, 3000);
    if (swept > 0) log(`lab: stopped ${swept} leftover processes`);
    await unmountUnder([abs, run]);
    if (ownsNetwork) await removeNetwork(state);
    rmSync(run, { recursive: true, force: true });
    if (existsSync(labFiles(abs).marker) || existsSync(labFiles(abs).state)) {
      if (mountsUnder([abs]).length > 0) throw new TarsDockerError(`lab: mounts remain under ${abs}; not deleting it`);
      rmSync(abs, { recursive: true, force: true });
    } else if (existsSync(abs)) log(`lab: ${abs} is not a lab directory; left in place`);
    releaseOwner(abs);
    log(ownsNetwork ? `lab: down, ${abs} removed` : `lab: ${abs} removed; the network belongs to the lab in ${other}`);
  });
}
