// A long-running `tars-docker watch --metrics HOST:0` as a user starts it; the address comes from its log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve('bin/tars-docker.js');

export interface WatchProcess {
  /** http://HOST:PORT of the metrics server. */
  url: string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

export function startWatch(args: string[]): Promise<WatchProcess> {
  const child = spawn(process.execPath, [BIN, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number>((ok) => child.on('close', (code) => ok(code ?? -1)));
  return new Promise((ok, fail) => {
    child.stderr!.on('data', (c) => {
      stderr += c;
      const m = /^metrics on (http:\/\/\S+)\/metrics/m.exec(stderr);
      if (m) ok({ url: m[1]!, stderr: () => stderr, stop: () => stop(child, exited) });
    });
    void exited.then((code) => fail(new Error(`watch exited ${code} before serving metrics: ${stderr}`)));
  });
}

function stop(child: ChildProcess, exited: Promise<number>): Promise<number> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}

export interface Health {
  status: string;
  lastCheck: { at: string; ok: boolean; error?: string } | null;
  lastSuccess: string | null;
}

/** Polls /healthz until it reports a finished check (the event every metrics assertion waits for). */
export async function waitForCheck(url: string, deadlineMs = 120_000): Promise<{ code: number; health: Health }> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const r = await fetch(`${url}/healthz`);
    const health = (await r.json()) as Health;
    if (health.lastCheck) return { code: r.status, health };
    if (Date.now() > until) throw new Error(`no check finished within ${deadlineMs / 1000} s`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
