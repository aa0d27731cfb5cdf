import { createServer } from 'node:net';
import { ADMIN_REGISTRY_PORT, NODE_PORT, REGISTRY_PORT, WEB_PORT } from './config.mjs';

// tars-install.sh starts the servers one by one in the order of its TARS list, each on its ports from the
// tars.<server>.config.conf files; web-install.sh then starts TarsWeb with pm2 on 3000, last. A slave runs the
// shorter list. `own` names the servers the stand-in really implements; the others only hold their ports.
const MASTER = [
  ['tarsAdminRegistry', [ADMIN_REGISTRY_PORT]],
  ['tarsregistry', [REGISTRY_PORT, REGISTRY_PORT + 1]],
  ['tarsconfig', [18193]],
  ['tarsnode', [NODE_PORT, NODE_PORT + 1]],
  ['tarsnotify', [18593]],
  ['tarsproperty', [18493]],
  ['tarsqueryproperty', [18693]],
  ['tarsquerystat', [18393]],
  ['tarsstat', [18293]],
  ['tarslog', [18993, 18913]],
  ['tarspatch', [18793]],
];
const SLAVE_SET = new Set(['tarsregistry', 'tarsconfig', 'tarsnode', 'tarsnotify', 'tarsqueryproperty', 'tarsquerystat']);

// tarslog's TopologyObj (18913) came with TarsFramework 3.0.1
function atLeast(version, [major, minor, patch]) {
  const [a = 0, b = 0, c = 0] = String(version).split('.').map((n) => Number.parseInt(n, 10) || 0);
  return a !== major ? a > major : b !== minor ? b > minor : c >= patch;
}

export function serverPlan(slave, frameworkVersion) {
  const servers = MASTER.filter(([name]) => !slave || SLAVE_SET.has(name)).map(([name, ports]) =>
    name === 'tarslog' && !atLeast(frameworkVersion, [3, 0, 1]) ? [name, [18993]] : [name, ports],
  );
  return slave ? servers : [...servers, ['tarsweb', [WEB_PORT]]];
}

// A port nobody speaks to in the lab: it only has to be taken, as the real server takes it.
export function portHolder(name) {
  return createServer((socket) => {
    socket.on('error', () => {});
    socket.end(`${name}\n`);
  });
}
