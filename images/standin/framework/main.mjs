import { unusableAddress } from '../common/address.mjs';
import { exitOnSignals, fatal, onShutdown } from '../common/lifecycle.mjs';
import { listen } from '../common/listen.mjs';
import { createLogger } from '../common/log.mjs';
import { createNodePortServer } from '../common/node-port.mjs';
import { loadConfig, NODE_PORT, REGISTRY_PORT, WEB_PORT } from './config.mjs';
import { failForever } from './fault.mjs';
import { expireStale, locatorId, nodeHeartbeat, registerServers, registryHeartbeat } from './membership.mjs';
import { connectWithRetry } from './mysql.mjs';
import { createRegistryServer } from './registry-server.mjs';
import { createMissing, dropForRebuild, existingDatabases } from './schema.mjs';
import { upgradeInstalled } from './mysql-tool-upgrade.mjs';
import { webDatabaseStart } from './web-start.mjs';
import { createWebServer } from './web.mjs';

const cfg = loadConfig();
const role = cfg.slave ? 'slave' : 'master';
const log = createLogger(`tars-framework ${role}`, cfg.logFile);
exitOnSignals(log);

async function prepareDatabases(pool) {
  await upgradeInstalled(pool, cfg, log);
  if (cfg.slave) {
    if (!(await existingDatabases(pool)).has('db_tars')) {
      fatal(log, 'db_tars does not exist: a slave joins an installed master, start the master first');
    }
  } else {
    if (cfg.rebuild) await dropForRebuild(pool, log);
    await createMissing(cfg, pool, log);
  }
  await registerServers(pool, cfg);
}

async function startServers(pool) {
  const servers = [
    ['tarsregistry', createRegistryServer({ pool, cfg, log }), REGISTRY_PORT, cfg.address],
    ['tarsnode', createNodePortServer(() => `${cfg.version} ${cfg.address}`), NODE_PORT, cfg.address],
  ];
  // TarsWeb listens on all interfaces in the real image too
  if (!cfg.slave) await webDatabaseStart(pool, log);
  if (!cfg.slave) servers.push(['tarsweb', createWebServer({ pool, cfg, log }), WEB_PORT, '0.0.0.0']);
  for (const [name, server, port, host] of servers) {
    onShutdown(() => server.close());
    await listen(server, port, host, log);
    log.info(`${name} listening on ${host}:${port}`);
  }
}

function startHeartbeats(pool) {
  let busy = false;
  const beat = async () => {
    if (busy) return;
    busy = true;
    try {
      await registryHeartbeat(pool, cfg.address, cfg.version);
      await nodeHeartbeat(pool, cfg.address, cfg.version);
      await expireStale(pool, cfg);
    } catch (err) {
      log.warn(`heartbeat failed: ${err.message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(beat, cfg.heartbeatSeconds * 1000);
  onShutdown(() => clearInterval(timer));
  return beat();
}

async function main() {
  log.info(`framework ${cfg.version} (web ${cfg.webVersion}) starting as ${role}, address ${cfg.address} from ${cfg.addressSource}`);
  if (unusableAddress(cfg.address)) {
    fatal(log, `host address from ${cfg.addressSource} is "${cfg.address}": set INET to a real interface or DOMAIN`);
  }
  if (!cfg.mysql.host) fatal(log, 'MYSQL_HOST is not set');
  if (cfg.fault === 'registry-never-starts') return failForever(log);
  const pool = await connectWithRetry(cfg, log);
  onShutdown(() => void pool.end().catch(() => {}));
  await prepareDatabases(pool);
  await startServers(pool);
  await startHeartbeats(pool);
  log.info(`registry ${locatorId(cfg.address)} and node ${cfg.address} heartbeating every ${cfg.heartbeatSeconds}s`);
}

main().catch((err) => fatal(log, err.message));
