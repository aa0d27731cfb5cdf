import { createServer } from 'node:net';
import { nodeHeartbeat } from './membership.mjs';
import { deployedServers, updateServerState } from './server-state.mjs';

const NAME = /^[A-Za-z0-9._:-]{1,128}$/;
const VERSION = /^[A-Za-z0-9._+-]{1,64}$/;

// The stand-in's registry protocol, one request per line:
//   NODE <node_name> <version> [load1 load5 load15]  -> "OK" once t_node_info holds a fresh heartbeat
//   PING                                             -> "PONG <framework version>"
//   SERVERS <node_name>                              -> "OK [app.server ...]" deployed there (t_server_conf)
//   STATE <node_name> <app.server> <present_state>   -> "OK" once t_server_conf holds it
// anything else, or a database failure, answers "ERR <reason>" so a node fails over to another registry.
export function createRegistryServer({ pool, cfg, log }) {
  const handle = async (line) => {
    const [command, ...args] = line.split(/\s+/);
    if (command === 'PING') return `PONG ${cfg.version}`;
    if (command === 'SERVERS' || command === 'STATE') return serverRequest(pool, command, args, log);
    if (command !== 'NODE') return 'ERR unknown command';
    const [name, version, ...load] = args;
    if (!NAME.test(name ?? '') || !VERSION.test(version ?? '')) return 'ERR usage: NODE <node_name> <version>';
    const numbers = load.map(Number);
    const loadAvg = numbers.length === 3 && numbers.every(Number.isFinite) ? numbers : [0, 0, 0];
    try {
      await nodeHeartbeat(pool, name, version, loadAvg);
      return 'OK';
    } catch (err) {
      log.warn(`node heartbeat of ${name} not stored: ${err.message}`);
      return 'ERR mysql';
    }
  };

  return createServer((socket) => {
    socket.setEncoding('utf8');
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('error', () => {});
    let buffer = '';
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.length > 4096) return socket.destroy();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        if (!line) continue;
        // answers keep the order of the requests even when one waits on MySQL
        queue = queue.then(() => handle(line)).then((answer) => {
          if (!socket.destroyed) socket.write(`${answer}\n`);
        });
      }
    });
  });
}

async function serverRequest(pool, command, [name, serverId, state], log) {
  if (!NAME.test(name ?? '')) return `ERR usage: ${command} <node_name> ...`;
  try {
    if (command === 'SERVERS') return ['OK', ...(await deployedServers(pool, name))].join(' ');
    const bad = await updateServerState(pool, name, serverId, state);
    return bad ? `ERR ${bad}` : 'OK';
  } catch (err) {
    log.warn(`${command} for ${name} failed: ${err.message}`);
    return 'ERR mysql';
  }
}
