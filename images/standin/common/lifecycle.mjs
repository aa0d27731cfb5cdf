// PID 1 gets no default SIGTERM action, so without a handler `docker stop` would wait for its kill timeout.
// The real docker-init.sh traps SIGTERM with `exit`, which bash runs only once the command in the foreground
// has finished: a stop waits for the running step (a server's start, the monitor loop's `sleep 5`).
const closers = [];
let running = 0;
let stopping = false;
let exitNow;

export function onShutdown(close) {
  closers.push(close);
}

function closeAll() {
  for (const close of closers) {
    try {
      close();
    } catch {
      // exiting anyway; a half-closed socket must not delay the stop
    }
  }
  process.exit(0);
}

export function exitOnSignals(log) {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal} received, stopping after the running step`);
      exitNow = closeAll;
      if (running === 0) closeAll();
    });
  }
}

// Runs one step of the start or of the monitor loop; a stop asked for meanwhile happens when it ends.
export async function step(fn) {
  if (stopping) return new Promise(() => {});
  running++;
  try {
    return await fn();
  } finally {
    running--;
    if (stopping && running === 0) exitNow();
  }
}

export function fatal(log, message) {
  log.error(message);
  process.exit(1);
}
