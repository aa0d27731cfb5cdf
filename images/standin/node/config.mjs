import { interfaceIPv4 } from '../common/address.mjs';
import { envSeconds, envString } from '../common/env.mjs';

export const NODE_PORT = 19385;

// The real tars-node reads DOMAIN, then TARS_DOMAIN, then eth0, and never INET even though docs pass it.
export function loadConfig() {
  const domain = envString('DOMAIN') || envString('TARS_DOMAIN');
  return {
    webHost: envString('WEB_HOST').replace(/\/+$/, ''),
    address: domain || interfaceIPv4('eth0'),
    addressSource: envString('DOMAIN') ? 'DOMAIN' : domain ? 'TARS_DOMAIN' : 'eth0',
    explicitRegistries: parseRegistries(envString('TARS_REGISTRY_ADDRESS')),
    // 0: not set here, so the interval the master's web hands out (tars.tarsnode's reportAliveInterval, 10 s)
    heartbeatSeconds: envSeconds('TARS_HEARTBEAT_SECONDS', 0),
    refreshSeconds: envSeconds('TARS_NODE_REFRESH_SECONDS', 30),
    logFile: envString('TARS_LOG_FILE', '/data/tars/app_log/tars-node.log'),
  };
}

export const NODE_HEARTBEAT_SECONDS = 10;

// `ip:port`, `[v6]:port`, or a bare `v6:port` (the port is after the last colon).
const LOCATOR = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s\[\]]+):\d{1,5}$/;

export function parseRegistries(text) {
  return text
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter((s) => LOCATOR.test(s));
}

export function splitLocator(locator) {
  const at = locator.lastIndexOf(':');
  return { host: locator.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(locator.slice(at + 1)) };
}
