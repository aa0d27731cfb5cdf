// Interleaved pairs: ours, baseline, ours, baseline … in the same run, so a slower moment of the machine hits both.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Measured {
  seconds: number;
  /** Peak resident memory of the process tree's root, in MiB (sampled from /proc while it runs). */
  peakMiB: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export const showSpread = (s: Spread, digits = 2, unit = 'x') =>
  `${s.median.toFixed(digits)}${unit} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`;

/** Runs `ours` and `base` alternately `n` times; the ratio of each pair is base/ours (above 1: ours is faster). */
export async function pairs(n: number, ours: () => Promise<Measured>, base: () => Promise<Measured>): Promise<{ ratio: Spread; ours: Measured[]; base: Measured[] }> {
  const a: Measured[] = [];
  const b: Measured[] = [];
  for (let i = 0; i < n; i++) {
    a.push(await ours());
    b.push(await base());
  }
  return { ratio: spread(a.map((x, i) => b[i]!.seconds / x.seconds)), ours: a, base: b };
}

/**
 * One shell command, timed from outside, with the peak RSS of its process (VmHWM never decreases). Exit codes in
 * `okCodes` count as success (`check` exits 10 when an update is available).
 */
export function measureCommand(command: string, env: Record<string, string> = {}, okCodes: number[] = [0]): Promise<Measured> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    let peakKiB = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // exited meanwhile
      }
    };
    const timer = setInterval(sample, 20);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (!okCodes.includes(code ?? -1)) fail(new Error(`${command.split(' ')[0]} exited ${code}: ${stderr.trim().split('\n').at(-1)}`));
      else ok({ seconds: (performance.now() - t0) / 1000, peakMiB: peakKiB / 1024 });
    });
  });
}
