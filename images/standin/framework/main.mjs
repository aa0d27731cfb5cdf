import { unusableAddress } from '../common/address.mjs';
import { sleep } from '../common/env.mjs';
import { exitOnSignals, fatal, onShutdown, step } from '../common/lifecycle.mjs';
import { listen } from '../common/listen.mjs';
import { createLogger } from '../common/log.mjs';
import { createNodePortServer } from '../common/node-port.mjs';
import { resolveTiming } from '../common/timing.mjs';
import { beatEvery } from './beats.mjs';
import { loadConfig, NODE_PORT, REGISTRY_PORT } from './config.mjs';
import { failForever } from './fault.mjs';
import { readLabSpeed } from './lab-speed.mjs';
import {
  adminRegistryHeartbeat,
  expireStale,
  installNodeRow,
  locatorId,
  nodeHeartbeat,
  registerServers,
  registryHeartbeat,
} from './membership.mjs';
import { connectWithRetry } from './mysql.mjs';
import { createRegistryServer } from './registry-server.mjs';
import { createMissing, dropForRebuild, existingDatabases } from './schema.mjs';
import { portHolder, serverPlan } from './servers.mjs';
import { createWebServer } from './web.mjs';

const cfg = loadConfig();
const role = cfg.slave ? 'slave' : 'master';
const log = createLogger(`tars-framework ${role}`, cfg.logFile);
exitOnSignals(log);

async function prepareDatabases(pool) {
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

/** What each server the stand-in implements serves on a port, and the heartbeat it starts with. */
function serverParts(name, pool, timing) {
  const parts = {
    tarsregistry: {
      [REGISTRY_PORT]: () => createRegistryServer({ pool, cfg, log }),
      beat: () =>
        beatEvery(timing.registrySeconds, name, async () => {
          await registryHeartbeat(pool, cfg.address, cfg.version);
          await expireStale(pool, cfg);
        }, log),
    },
    tarsAdminRegistry: { beat: () => beatEvery(timing.adminRegistrySeconds, name, () => adminRegistryHeartbeat(pool, cfg.address, cfg.version), log) },
    tarsnode: {
      [NODE_PORT]: () => createNodePortServer(() => `${cfg.version} ${cfg.address}`),
      beat: () => beatEvery(timing.nodeSeconds, name, () => nodeHeartbeat(pool, cfg.address, cfg.version), log),
    },
    tarsweb: { 3000: () => createWebServer({ pool, cfg, log, nodeHeartbeatSeconds: timing.nodeSeconds }) },
  };
  return parts[name] ?? {};
}

async function startServer(name, ports, pool, timing) {
  const parts = serverParts(name, pool, timing);
  for (const port of ports) {
    const server = parts[port]?.() ?? portHolder(name);
    onShutdown(() => server.close());
    // TarsWeb listens on all interfaces in the real image too
    const host = name === 'tarsweb' ? '0.0.0.0' : cfg.address;
    await listen(server, port, host, log);
    log.info(`${name} listening on ${host}:${port}`);
  }
  await parts.beat?.();
}

async function main() {
  log.info(`framework ${cfg.version} (web ${cfg.webVersion}) starting as ${role}, address ${cfg.address} from ${cfg.addressSource}`);
  if (unusableAddress(cfg.address)) {
    fatal(log, `host address from ${cfg.addressSource} is "${cfg.address}": set INET to a real interface or DOMAIN`);
  }
  if (!cfg.mysql.host) fatal(log, 'MYSQL_HOST is not set');
  const pool = await connectWithRetry(cfg, log);
  onShutdown(() => void pool.end().catch(() => {}));
  const timing = resolveTiming(await readLabSpeed(pool, log));
  const plan = serverPlan(cfg.slave, cfg.version);
  // the start's delay, spread over its steps: templates, then copies and tarballs, then each server
  const pause = () => sleep((timing.startSeconds * 1000) / (plan.length + 2));
  await step(() => prepareDatabases(pool));
  await step(async () => {
    await pause();
    log.info('create t_profile_template');
  });
  // tars_node_init.sql runs on a slave too
  await step(() => installNodeRow(pool, cfg.address, cfg.version));
  await step(async () => {
    await pause();
    log.info('tar framework tgz');
  });
  for (const [name, ports] of plan) {
    if (name === 'tarsregistry' && cfg.fault === 'registry-never-starts') return failForever(log);
    await step(async () => {
      await pause();
      await startServer(name, ports, pool, timing);
    });
  }
  log.info(`registry ${locatorId(cfg.address)} and node ${cfg.address} heartbeating every ${timing.registrySeconds}s / ${timing.nodeSeconds}s`);
  // docker-init.sh's monitor loop: `monitor.sh; sleep 5`, which the SIGTERM trap waits for
  for (;;) await step(() => sleep(timing.monitorSeconds * 1000));
}

main().catch((err) => fatal(log, err.message));
