/** Exit codes are decided here and only mapped to the process in the CLI's top-level handler. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
  guardBlocked: 3,
  updateAvailable: 10,
  /** SIGINT or SIGTERM: the step in progress finished or was undone, nothing else started (128 + SIGINT). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorContext {
  host?: string;
  file?: string;
  key?: string;
  step?: string;
}

/** The one error type the CLI knows how to print: one line, one exit code. */
export class TarsDockerError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failed,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration or arguments: nothing was touched. */
export class InputError extends TarsDockerError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, ExitCode.badInput, context, options);
  }
}

/** A Docker host, the registry or MySQL could not be reached or refused an operation. */
export class HostError extends TarsDockerError {
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super(`${host}: ${message}`, ExitCode.failed, { host }, options);
  }
}

/** A run stopped on a signal between two steps; the journal lets the same command continue it. */
export class InterruptedError extends TarsDockerError {
  constructor(message: string) {
    super(message, ExitCode.interrupted);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
