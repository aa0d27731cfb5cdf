import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

// Lines go to stdout (docker logs) and to the /data/tars volume, like the real servers' app_log.
export function createLogger(component, file) {
  let toFile = true;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch {
    toFile = false;
  }
  const write = (level, message) => {
    const line = `${new Date().toISOString()} ${level} ${component}: ${message}\n`;
    process.stdout.write(line);
    if (!toFile) return;
    try {
      appendFileSync(file, line);
    } catch {
      toFile = false;
    }
  };
  return {
    info: (message) => write('INFO', message),
    warn: (message) => write('WARN', message),
    error: (message) => write('ERROR', message),
  };
}
