import { CommanderError } from 'commander';
import { ExitCode, TarsDockerError, type ErrorContext } from '../errors.js';
import { redact } from '../redact.js';
import { takeJsonResult, writeJson } from './output.js';

export interface ErrorDocument {
  code: number;
  message: string;
  host?: string;
  file?: string;
  key?: string;
  step?: string;
}

interface Reported {
  code: number;
  message: string;
  context: ErrorContext;
  /** Written to stderr as they are (commander printed its own line already). */
  stderr: string[];
}

/**
 * The one place an error becomes a line on stderr and an exit code; under --json also the `error` of the one
 * JSON document on stdout (joined to what the command had handed over before it failed).
 */
export function reportError(err: unknown, opts: { json: boolean; verbose: boolean }): number {
  const r = describe(err, opts.verbose);
  for (const line of r.stderr) process.stderr.write(`${redact(line)}\n`);
  if (opts.json && r.code !== ExitCode.ok) writeJson(withError(takeJsonResult()?.doc, toDocument(r)));
  return r.code;
}

function describe(err: unknown, verbose: boolean): Reported {
  if (err instanceof CommanderError) {
    const code = err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    // Help shown because a subcommand is missing: the usage is on stderr, the document says why.
    const message = err.code === 'commander.help' ? 'a subcommand is needed (usage on stderr)' : oneLine(err.message).replace(/^error: /, '');
    return { code, message, context: {}, stderr: [] };
  }
  if (err instanceof TarsDockerError) {
    const logLines = (err as { logLines?: string[] }).logLines ?? [];
    const stack = verbose && err.stack ? [err.stack] : [];
    return { code: err.exitCode, message: err.message, context: err.context, stderr: [`tars-docker: ${err.message}`, ...logLines.map((l) => `  | ${l}`), ...stack] };
  }
  const message = `unexpected error: ${firstLine(err instanceof Error ? err.message : String(err))}`;
  const stack = verbose && err instanceof Error && err.stack ? [err.stack] : [];
  return { code: ExitCode.failed, message, context: {}, stderr: [`tars-docker: ${message}`, ...stack] };
}

function toDocument(r: Reported): ErrorDocument {
  const { host, file, key, step } = r.context;
  return { code: r.code, message: r.message, ...(file ? { file } : {}), ...(host ? { host } : {}), ...(key ? { key } : {}), ...(step ? { step } : {}) };
}

/** A command's partial result keeps its fields; anything that is not an object is kept under `result`. */
function withError(partial: unknown, error: ErrorDocument): Record<string, unknown> {
  if (partial === undefined) return { error };
  if (typeof partial === 'object' && partial !== null && !Array.isArray(partial)) return { ...partial, error };
  return { result: partial, error };
}

/** Commander puts its hint ("Did you mean …?") on a line of its own. */
export const oneLine = (text: string) => text.trim().split('\n').join(' ');
const firstLine = (text: string) => text.split('\n')[0]!;
