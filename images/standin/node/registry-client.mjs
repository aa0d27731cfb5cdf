import { connect } from 'node:net';
import { splitLocator } from './config.mjs';

// One request of the stand-in registry's line protocol (see framework/registry-server.mjs).
export function sendLine(locator, line, timeoutMs = 1500) {
  const { host, port } = splitLocator(locator);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let answer = '';
    const fail = (err) => {
      socket.destroy();
      reject(err);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => fail(new Error('timeout')));
    socket.on('error', fail);
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk) => {
      answer += chunk;
      const end = answer.indexOf('\n');
      if (end < 0) return;
      socket.end();
      resolve(answer.slice(0, end).trim());
    });
  });
}

// Tries the last registry that answered first, then the others in order, like a Tars client failing over.
export function createHeartbeater() {
  let preferred = '';
  return async function heartbeat(registries, line) {
    const ordered = registries.includes(preferred) ? [preferred, ...registries.filter((r) => r !== preferred)] : registries;
    const errors = [];
    for (const locator of ordered) {
      try {
        const answer = await sendLine(locator, line);
        if (answer === 'OK') {
          preferred = locator;
          return locator;
        }
        errors.push(`${locator}: ${answer}`);
      } catch (err) {
        errors.push(`${locator}: ${err.code ?? err.message}`);
      }
    }
    throw new Error(errors.length ? errors.join('; ') : 'no registry known');
  };
}
