import { envSeconds } from './env.mjs';

// The real intervals: tarsregistry writes its rows at start and every loadObjectsInterval1 (13 s in the
// tars.tarsregistry template), tarsAdminRegistry every updateHeartInterval (15 s, tars.tarsAdminRegistry
// template), tarsnode reports every reportAliveInterval (10 s, NodeServer/KeepAliveThread.cpp). docker-init.sh
// ends in a `monitor.sh; sleep 5` loop that its SIGTERM trap waits for. The start takes many seconds (serial
// installs, templates, tarballs, pm2): startSeconds spreads that over the start's steps.
export const REAL_TIMING = Object.freeze({
  registrySeconds: 13,
  adminRegistrySeconds: 15,
  nodeSeconds: 10,
  monitorSeconds: 5,
  startSeconds: 20,
});

// The lab's fast mode (for tests that are not about timing): one heartbeat interval for every server, a start
// without delay and a short monitor step. Env wins over the lab's setting, which wins over the real values.
export function resolveTiming(labSetting = {}) {
  const pick = (envName, key, fallback) => envSeconds(envName, labSetting[key] ?? fallback);
  const beat = (real) => pick('TARS_HEARTBEAT_SECONDS', 'heartbeatSeconds', real);
  return {
    registrySeconds: beat(REAL_TIMING.registrySeconds),
    adminRegistrySeconds: beat(REAL_TIMING.adminRegistrySeconds),
    nodeSeconds: beat(REAL_TIMING.nodeSeconds),
    monitorSeconds: pick('TARS_MONITOR_SECONDS', 'monitorSeconds', REAL_TIMING.monitorSeconds),
    // 0 is a valid start delay, so it is read apart from the positive-only seconds above
    startSeconds: startSeconds(labSetting.startSeconds),
  };
}

function startSeconds(fromLab) {
  const raw = process.env.TARS_START_SECONDS;
  const env = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (Number.isFinite(env) && env >= 0) return env;
  return Number.isFinite(fromLab) && fromLab >= 0 ? fromLab : REAL_TIMING.startSeconds;
}
