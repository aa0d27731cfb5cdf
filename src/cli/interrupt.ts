import { runExitCleanups } from '../exit-cleanup.js';
import { ExitCode } from '../errors.js';

const controller = new AbortController();
let graceful = false;
let signals = 0;

/** Aborted on the first SIGINT/SIGTERM of a command that stops gracefully (see `stopGracefully`). */
export const interruption: AbortSignal = controller.signal;

/**
 * A rollout must not die between stopping a container and starting the next one: on the first signal it lets the
 * step in progress finish (or undo itself), then stops. Every other command, and any second signal, exits at once,
 * after removing the temporary folders that hold copies of credentials.
 */
export function stopGracefully(): void {
  graceful = true;
}

export function installSignalHandlers(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (graceful && signals === 1) {
      process.stderr.write(`tars-docker: ${signal}: finishing the step in progress, then stopping (send it again to abort at once)\n`);
      controller.abort(signal);
      return;
    }
    runExitCleanups();
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
