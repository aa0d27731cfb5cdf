import { redact } from '../redact.js';

/** Commands print through here so every line leaving the process is redacted. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${redact(JSON.stringify(doc, null, 2))}\n`);
}

export function printLines(lines: string[]): void {
  for (const line of lines) process.stdout.write(`${redact(line)}\n`);
}
