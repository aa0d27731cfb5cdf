import { readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TarsDockerError } from '../errors.js';
import { ancestry, cmdline, terminate, tryRun } from './proc.js';
import type { EngineState } from './types.js';

/** Programs a lab runs, by /proc comm prefix; a shell or editor that merely names a lab path is never hit. */
const LAB_PROGRAMS = ['dockerd', 'containerd', 'runc', 'sshd', 'docker', 'mariadbd', 'nsenter'];

export interface Sweep {
  /** Lab paths: a lab program whose command line names one of them is ours. */
  paths: string[];
  /** Namespace inodes: everything inside our namespaces is ours. */
  netnsInodes: number[];
  /** Container ids of our engines: their processes sit in cgroups named after them. */
  containerIds: string[];
}

function comm(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function netInode(pid: string): number | null {
  try {
    const m = /net:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/net`));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function inContainer(pid: string, ids: Set<string>): boolean {
  if (ids.size === 0) return false;
  try {
    const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
    return lines.some((l) => ids.has(l.slice(l.lastIndexOf('/') + 1)));
  } catch {
    return false;
  }
}

export function findLabProcesses(sweep: Sweep): number[] {
  const own = new Set(ancestry());
  const inodes = new Set(sweep.netnsInodes);
  const ids = new Set(sweep.containerIds);
  // Whole path components only: hosts/h1 must not match hosts/h10.
  const names = (a: string) => (p: string) => a === p || a.endsWith(`=${p}`) || a.includes(`${p}/`);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || own.has(Number(entry))) continue;
    const inode = inodes.size > 0 ? netInode(entry) : null;
    const byNetns = inode !== null && inodes.has(inode);
    const byPath = () => {
      const name = comm(entry);
      if (!LAB_PROGRAMS.some((p) => name.startsWith(p))) return false;
      const argv = cmdline(Number(entry)) ?? [];
      return argv.some((a) => sweep.paths.some(names(a)));
    };
    if (byNetns || byPath() || inContainer(entry, ids)) found.push(Number(entry));
  }
  return found;
}

export async function sweepProcesses(sweep: Sweep, graceMs: number): Promise<number> {
  const pids = findLabProcesses(sweep);
  await terminate(pids, graceMs);
  return pids.length;
}

export function containerIds(dataRoots: string[]): string[] {
  return dataRoots.flatMap((root) => {
    try {
      return readdirSync(join(root, 'containers')).filter((d) => /^[0-9a-f]{64}$/.test(d));
    } catch {
      return [];
    }
  });
}

/** Mount points as the kernel lists them; octal escapes (\040 for a space) decoded. */
export function mountPoints(): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.length > 0)
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

export function mountsUnder(prefixes: string[]): string[] {
  return mountPoints().filter((m) => prefixes.some((p) => m === p || m.startsWith(`${p}/`)));
}

/** Deepest first, so a parent never hides a child; lazy unmount when something still holds it busy. */
export async function unmountUnder(prefixes: string[]): Promise<void> {
  // Mounts can be stacked on one point, so a few passes.
  for (let pass = 0; pass < 3; pass++) {
    const mounts = [...new Set(mountsUnder(prefixes))].sort((a, b) => b.length - a.length);
    if (mounts.length === 0) return;
    for (const m of mounts) {
      if (!(await tryRun('umount', [m]))) await tryRun('umount', ['-l', m]);
    }
  }
  const left = mountsUnder(prefixes);
  if (left.length > 0) throw new TarsDockerError(`lab: could not unmount ${left.join(', ')}`);
}

/**
 * Everything an engine left behind after its dockerd died: containerd, shims and containers still running,
 * overlay and netns mounts, containerd state in the exec root. A restart on top of these would reuse them.
 */
export async function clearEngine(engine: EngineState, ownDirs: string[], netnsInodes: number[]): Promise<void> {
  await sweepProcesses({ paths: ownDirs, netnsInodes, containerIds: containerIds([engine.dataRoot]) }, 3000);
  await unmountUnder([engine.dataRoot, engine.execRoot]);
  rmSync(engine.execRoot, { recursive: true, force: true });
  rmSync(engine.pidFile, { force: true });
}
