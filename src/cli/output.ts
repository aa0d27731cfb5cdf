import { redact } from '../redact.js';

let pending: { doc: unknown } | undefined;

/**
 * Under --json a command hands its one document over here; main writes it when the command ends, so an error
 * raised after it joins that document instead of following it as a second one.
 */
export function setJsonResult(doc: unknown): void {
  pending = { doc };
}

/** The document handed over so far, if any; it is taken, so it can be written only once. */
export function takeJsonResult(): { doc: unknown } | undefined {
  const taken = pending;
  pending = undefined;
  return taken;
}

export function writeJson(doc: unknown): void {
  // Strings are redacted before they are escaped (a secret with a quote in it would not match afterwards);
  // the whole text once more for secrets that ended up in keys.
  const text = JSON.stringify(doc, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value), 2);
  process.stdout.write(`${redact(text)}\n`);
}

/** Commands print through here so every line leaving the process is redacted. */
export function printLines(lines: string[]): void {
  for (const line of lines) process.stdout.write(`${redact(line)}\n`);
}
