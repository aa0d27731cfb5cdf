import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interfaceIPv4 } from '../common/address.mjs';
import { envInt, envSeconds, envString, envTrue } from '../common/env.mjs';

export const ADMIN_REGISTRY_PORT = 12000;
export const REGISTRY_PORT = 17890;
export const NODE_PORT = 19385;
export const WEB_PORT = 3000;

// In the image this file sits at /usr/local/tars/cpp/deploy/standin/framework/, two levels under deploy/.
const defaultDeployDir = fileURLToPath(new URL('../../', import.meta.url));

export function loadConfig() {
  const deployDir = envString('TARS_DEPLOY_DIR', defaultDeployDir);
  const readJson = (path) => JSON.parse(readFileSync(join(deployDir, path), 'utf8'));
  const inet = envString('INET', 'eth0');
  const domain = envString('DOMAIN');
  return {
    deployDir,
    // TarsFramework's own version, not the image tag: what the real servers report in heartbeats and to tarsnode
    version: readFileSync(join(deployDir, 'FRAMEWORK_VERSION.txt'), 'utf8').trim(),
    webVersion: String(readJson('web/package.json').version ?? ''),
    fault: readJson('standin/image.json').fault ?? null,
    address: domain || interfaceIPv4(inet),
    addressSource: domain ? 'DOMAIN' : `INET=${inet}`,
    slave: envTrue('SLAVE'),
    rebuild: envTrue('REBUILD'),
    mysql: {
      host: envString('MYSQL_HOST'),
      port: envInt('MYSQL_PORT', 3306),
      user: envString('MYSQL_USER', 'root'),
      password: process.env.MYSQL_ROOT_PASSWORD ?? '',
    },
    registryTimeoutSeconds: envSeconds('TARS_REGISTRY_TIMEOUT_SECONDS', 150),
    nodeTimeoutSeconds: envSeconds('TARS_NODE_TIMEOUT_SECONDS', 250),
    logFile: envString('TARS_LOG_FILE', '/data/tars/app_log/tars-framework.log'),
  };
}
