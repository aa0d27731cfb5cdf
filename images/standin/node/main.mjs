import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { loadavg } from 'node:os';
import { unusableAddress } from '../common/address.mjs';
import { sleep } from '../common/env.mjs';
import { exitOnSignals, fatal, onShutdown } from '../common/lifecycle.mjs';
import { listen } from '../common/listen.mjs';
import { createLogger } from '../common/log.mjs';
import { createNodePortServer } from '../common/node-port.mjs';
import { loadConfig, NODE_HEARTBEAT_SECONDS, NODE_PORT, parseRegistries } from './config.mjs';
import { createServerKeeper, prepareDataDirs } from './deployed.mjs';
import { createHeartbeater, sendLine } from './registry-client.mjs';

const cfg = loadConfig();
const log = createLogger('tars-node', cfg.logFile);
exitOnSignals(log);

const tarsnodeUrl = `${cfg.webHost}/get_tarsnode?ip=${encodeURIComponent(cfg.address)}&runuser=root`;

// The entrypoint asks with wget; node:http costs as little at start, where fetch would compile its WebAssembly
// parser in every container, a tenth of a CPU second that a lab of many nodes on two cores pays at every restart.
function getJson(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsGet : httpGet)(url, { timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(text));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function fetchTarsnode() {
  const body = await getJson(tarsnodeUrl, 2000);
  return {
    version: String(body.version),
    registries: parseRegistries((body.registries ?? []).join(';')),
    heartbeatSeconds: Number(body.heartbeatSeconds) > 0 ? Number(body.heartbeatSeconds) : NODE_HEARTBEAT_SECONDS,
  };
}

// The master may be restarting (an upgrade of the master host), so the first answer is waited for.
async function waitForTarsnode() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchTarsnode();
    } catch (err) {
      if (attempt === 1 || attempt % 10 === 0) log.warn(`${tarsnodeUrl} not answering (${err.code ?? err.message}), retrying`);
      await sleep(1000);
    }
  }
}

// Later refreshes only update where the registries are; a master that is down must not stop heartbeats to a
// slave's registry.
async function refreshRegistries(current) {
  try {
    return (await fetchTarsnode()).registries;
  } catch (err) {
    log.warn(`refreshing registries from ${cfg.webHost} failed (${err.code ?? err.message})`);
    return current;
  }
}

async function main() {
  if (!cfg.webHost) fatal(log, 'WEB_HOST is not set (e.g. http://MASTER_IP:3000)');
  if (unusableAddress(cfg.address)) fatal(log, `node address from ${cfg.addressSource} is "${cfg.address}": set DOMAIN`);
  prepareDataDirs(log);
  const first = await waitForTarsnode();
  // entrypoint.sh sleeps a second between fetching get_tarsnode.sh and running it (which downloads, unpacks and
  // starts tarsnode), so a real node's first heartbeat never comes in the second its container started
  await sleep(1000);
  const version = first.version;
  // :19385 is tarsnode's own: it opens once tarsnode runs, not while the entrypoint still waits for the web
  const server = createNodePortServer(() => `${version} ${cfg.address}`);
  onShutdown(() => server.close());
  await listen(server, NODE_PORT, cfg.address, log);
  let registries = first.registries;
  const heartbeatSeconds = cfg.heartbeatSeconds || first.heartbeatSeconds;
  // the "downloaded" tarsnode keeps its version until the container restarts, as the real binary does
  log.info(`tarsnode ${version} for ${cfg.address} from ${cfg.webHost}, registries: ${registries.join(' ') || 'none'}`);
  const heartbeat = createHeartbeater();
  let refreshedAt = Date.now();
  let lastGood = '';
  for (;;) {
    const targets = [...new Set([...cfg.explicitRegistries, ...registries])];
    try {
      // as tarsnode's KeepAliveThread: load and check the deployed servers first, then report alive
      await keepDeployed(lastGood ? [lastGood, ...targets.filter((t) => t !== lastGood)] : targets);
      const line = `NODE ${cfg.address} ${version} ${loadavg().map((n) => n.toFixed(2)).join(' ')}`;
      const used = await heartbeat(targets, line);
      if (used !== lastGood) log.info(`heartbeat accepted by registry ${used}`);
      lastGood = used;
    } catch (err) {
      log.warn(`no registry accepted the heartbeat: ${err.message}`);
      lastGood = '';
      refreshedAt = 0;
    }
    await sleep(heartbeatSeconds * 1000);
    if (Date.now() - refreshedAt >= cfg.refreshSeconds * 1000) {
      registries = await refreshRegistries(registries);
      refreshedAt = Date.now();
    }
  }
}

// The registry says which servers are deployed here (t_server_conf); their files are under /data/tars. Tried in
// the heartbeat's failover order: the registry that last answered first.
const keeper = createServerKeeper({ log });
async function keepDeployed(registries) {
  const failures = [];
  for (const registry of registries) {
    try {
      const answer = await sendLine(registry, `SERVERS ${cfg.address}`);
      if (!answer.startsWith('OK')) throw new Error(answer);
      const report = async (id, state) => {
        const stored = await sendLine(registry, `STATE ${cfg.address} ${id} ${state}`);
        if (stored !== 'OK') throw new Error(`state of ${id} not stored: ${stored}`);
      };
      return await keeper(answer.split(/\s+/).slice(1).filter(Boolean), report);
    } catch (err) {
      failures.push(`${registry}: ${err.code ?? err.message}`);
    }
  }
  throw new Error(`no registry listed the deployed servers (${failures.join('; ') || 'no registry known'})`);
}

main().catch((err) => fatal(log, err.message));
