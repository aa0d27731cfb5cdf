import { existsSync, mkdirSync, symlinkSync } from 'node:fs';

// TarsDocker's tarsnode entrypoint: the node's state lives in /data/tars and tarsnode's data directory (where every
// deployed service's bin/ and conf/ are patched to) is a link into it, so only a volume there survives a recreate.
export const DATA_ROOT = '/data/tars';
export const TARSNODE_DATA = '/usr/local/app/tars/tarsnode/data';

export function prepareDataDirs(log) {
  for (const dir of ['app_log', 'remote_app_log', 'tarsnode-data']) mkdirSync(`${DATA_ROOT}/${dir}`, { recursive: true });
  mkdirSync('/usr/local/app/tars/tarsnode', { recursive: true });
  const links = [
    [`${DATA_ROOT}/app_log`, '/usr/local/app/tars/app_log'],
    [`${DATA_ROOT}/remote_app_log`, '/usr/local/app/tars/remote_app_log'],
    [`${DATA_ROOT}/tarsnode-data`, TARSNODE_DATA],
  ];
  for (const [target, link] of links) {
    try {
      symlinkSync(target, link);
    } catch (err) {
      if (err.code !== 'EEXIST') log.warn(`cannot link ${link} -> ${target}: ${err.message}`);
    }
  }
}

// Where tarsnode looks for a deployed server's executable (ServerObject's exe path under its data directory).
export function exePath(serverId) {
  const server = serverId.slice(serverId.indexOf('.') + 1);
  return `${TARSNODE_DATA}/${serverId}/bin/${server}`;
}

/**
 * tarsnode's keep-alive pass over the servers the registry lists for this node: a server whose executable is
 * there is served (active); one whose patched files are gone cannot start, which CommandStart reports as
 * "server start error: EXE is not exist." and leaves the server inactive. Each state change goes to the registry.
 */
export function createServerKeeper({ log }) {
  const reported = new Map();
  return async function keepServers(serverIds, report) {
    for (const id of serverIds) {
      const exe = exePath(id);
      const state = existsSync(exe) ? 'active' : 'inactive';
      if (reported.get(id) === state) continue;
      if (state === 'active') log.info(`${id}: find server exe: ${exe}, serving`);
      else log.error(`${id}: server start error: ${exe} is not exist.`);
      await report(id, state);
      reported.set(id, state);
    }
  };
}
