import { createServer } from 'node:net';

// tarsnode's port only has to be taken (a framework and a tars-node on one host clash on it, as in production)
// and to say who holds it.
export function createNodePortServer(describe) {
  return createServer((socket) => {
    socket.on('error', () => {});
    socket.end(`tarsnode ${describe()}\n`);
  });
}
