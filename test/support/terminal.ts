// The CLI on a pseudo-terminal, as an operator at a shell runs it: util-linux `script` gives the child a pty for
// stdin and stdout, and what the test writes to script's stdin arrives as typed input (the pty buffers it until
// the prompt reads it, so nothing waits for the question to appear).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { CliResult } from './cli.js';

const BIN = resolve('bin/tars-docker.js');
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Exit code and everything the terminal showed (stdout and stderr share the pty; its \r\n become \n). */
export function runOnTerminal(args: string[], typed: string): Promise<Omit<CliResult, 'stderr'>> {
  const command = [process.execPath, BIN, '--', ...args].map(quote).join(' ');
  return new Promise((ok, fail) => {
    // -q: no "Script started" banner; -e: script exits with the child's code; /dev/null: no typescript file.
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', fail);
    child.on('close', (code) => ok({ code: code ?? -1, stdout: out.replace(/\r+\n/g, '\n') }));
    child.stdin.end(typed);
  });
}
