// PID 1 gets no default SIGTERM action, so without this `docker stop` would wait for its kill timeout.
const closers = [];

export function onShutdown(close) {
  closers.push(close);
}

export function exitOnSignals(log) {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      log.info(`${signal} received, shutting down`);
      for (const close of closers) {
        try {
          close();
        } catch {
          // exiting anyway; a half-closed socket must not delay the stop
        }
      }
      process.exit(0);
    });
  }
}

export function fatal(log, message) {
  log.error(message);
  process.exit(1);
}
