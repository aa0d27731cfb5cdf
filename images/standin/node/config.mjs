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
    heartbeatSeconds: envSeconds('TARS_HEARTBEAT_SECONDS', 3),
    refreshSeconds: envSeconds('TARS_NODE_REFRESH_SECONDS', 30),
    logFile: envString('TARS_LOG_FILE', '/data/tars/app_log/tars-node.log'),
  };
}

export function parseRegistries(text) {
  return text
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter((s) => /^[^:\s]+:\d+$/.test(s));
}
