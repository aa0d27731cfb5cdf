// Runs the built CLI as a user would (bin/tars-docker passes `--` first, so node leaves --env-file alone).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve('bin/tars-docker.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Another copy of the package's bin/tars-docker.js (see package-copy.ts); default this worktree's. */
  bin?: string;
  /** The working folder, where `.env` and `tars-docker.yml` are looked for without --env-file / --inventory. */
  cwd?: string;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [opts.bin ?? BIN, '--', ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    // Only a safety net for a hung child; no test waits on it.
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code: code ?? -1, stdout, stderr });
    });
  });
}
