import { loadavg } from 'node:os';
import { ADMIN_REGISTRY_PORT, NODE_PORT, REGISTRY_PORT } from './config.mjs';

const REGISTRY_SERVANTS = [
  ['tars.tarsregistry.QueryObj', (a) => `tcp -h ${a} -p ${REGISTRY_PORT} -t 50000`],
  ['tars.tarsregistry.RegistryObj', (a) => `tcp -h ${a} -p ${REGISTRY_PORT + 1} -t 50000`],
];

// What each role runs; the slave's list is what the real docker-init.sh registers for a new slave.
const SLAVE_SERVERS = ['tarsregistry', 'tarsconfig', 'tarsnotify', 'tarsqueryproperty', 'tarsquerystat'];
const MASTER_SERVERS = [...SLAVE_SERVERS, 'tarsAdminRegistry', 'tarsnode', 'tarspatch', 'tarsstat', 'tarsproperty', 'tarslog'];

// TC_Endpoint's host and port joined by ':', as RegistryServer/DbHandle.cpp writes it; an IPv6 host in brackets.
export function locatorId(address, port = REGISTRY_PORT) {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

// tarsAdminRegistry's own row (AdminRegistryServer/DbProxy.cpp): ADDR:12000, written at its start and every
// updateHeartInterval. It is no registry: nodes and health gates must not take it for one.
export async function adminRegistryHeartbeat(pool, address, version) {
  await pool.query(
    `REPLACE INTO db_tars.t_registry_info (locator_id, servant, endpoint, last_heartbeat, present_state, tars_version)
     VALUES (?, 'tars.tarsAdminRegistry.AdminRegObj', ?, NOW(), 'active', ?)`,
    [locatorId(address, ADMIN_REGISTRY_PORT), `tcp -h ${address} -p ${ADMIN_REGISTRY_PORT} -t 60000`, version],
  );
}

// tars-install.sh runs tars_node_init.sql before any server starts: the host's t_node_info row with now() and
// 'active', although no tarsnode runs yet. That row proves nothing about a running node.
export async function installNodeRow(pool, address, version) {
  await pool.query(
    `REPLACE INTO db_tars.t_node_info (node_name, node_obj, endpoint_ip, endpoint_port, data_dir, last_reg_time,
       last_heartbeat, setting_state, present_state, tars_version, template_name, modify_time, group_id)
     VALUES (?, ?, ?, ?, '/usr/local/app/tars/tarsnode/data', NOW(), NOW(), 'active', 'active', ?, '', NOW(), -1)`,
    [address, `tars.tarsnode.NodeObj@tcp -h ${address} -p ${NODE_PORT} -t 60000`, address, NODE_PORT, version],
  );
}

export async function registryHeartbeat(pool, address, version) {
  for (const [servant, endpoint] of REGISTRY_SERVANTS) {
    await pool.query(
      `INSERT INTO db_tars.t_registry_info (locator_id, servant, endpoint, last_heartbeat, present_state, tars_version)
       VALUES (?, ?, ?, NOW(), 'active', ?)
       ON DUPLICATE KEY UPDATE endpoint = VALUES(endpoint), last_heartbeat = NOW(), present_state = 'active',
         tars_version = VALUES(tars_version)`,
      [locatorId(address), servant, endpoint(address), version],
    );
  }
}

// Every registry sweeps stale members, as the real tarsregistry does; the timeouts are the real defaults.
export async function expireStale(pool, cfg) {
  await pool.query(
    `UPDATE db_tars.t_registry_info SET present_state = 'inactive'
     WHERE present_state = 'active' AND last_heartbeat < NOW() - INTERVAL ? SECOND`,
    [cfg.registryTimeoutSeconds],
  );
  await pool.query(
    `UPDATE db_tars.t_node_info SET present_state = 'inactive'
     WHERE present_state = 'active' AND last_heartbeat < NOW() - INTERVAL ? SECOND`,
    [cfg.nodeTimeoutSeconds],
  );
}

export async function nodeHeartbeat(pool, nodeName, version, load = loadavg()) {
  await pool.query(
    `INSERT INTO db_tars.t_node_info (node_name, node_obj, endpoint_ip, endpoint_port, data_dir, load_avg1, load_avg5,
       load_avg15, last_reg_time, last_heartbeat, setting_state, present_state, tars_version)
     VALUES (?, ?, ?, ?, '/usr/local/app/tars/tarsnode/data', ?, ?, ?, NOW(), NOW(), 'active', 'active', ?)
     ON DUPLICATE KEY UPDATE node_obj = VALUES(node_obj), endpoint_ip = VALUES(endpoint_ip),
       endpoint_port = VALUES(endpoint_port), load_avg1 = VALUES(load_avg1), load_avg5 = VALUES(load_avg5),
       load_avg15 = VALUES(load_avg15), last_heartbeat = NOW(), present_state = 'active',
       tars_version = VALUES(tars_version)`,
    [nodeName, `tars.tarsnode.NodeObj@tcp -h ${nodeName} -p ${NODE_PORT} -t 60000`, nodeName, NODE_PORT, ...load, version],
  );
}

export async function activeRegistries(pool, cfg) {
  const [rows] = await pool.query(
    `SELECT DISTINCT locator_id FROM db_tars.t_registry_info
     WHERE servant = 'tars.tarsregistry.QueryObj' AND present_state = 'active'
       AND last_heartbeat >= NOW() - INTERVAL ? SECOND ORDER BY locator_id`,
    [cfg.registryTimeoutSeconds],
  );
  return rows.map((r) => r.locator_id);
}

export async function registerServers(pool, cfg) {
  const servers = cfg.slave ? SLAVE_SERVERS : MASTER_SERVERS;
  for (const server of servers) {
    await pool.query(
      `INSERT IGNORE INTO db_tars.t_server_conf (application, server_name, node_name, exe_path, template_name,
         setting_state, present_state, tars_version, posttime, lastuser, server_type)
       VALUES ('tars', ?, ?, ?, ?, 'active', 'active', ?, NOW(), 'admin', 'tars_cpp')`,
      [server, cfg.address, `/usr/local/app/tars/${server}/bin/${server}`, `tars.${server}`, cfg.version],
    );
  }
  // an upgraded host keeps its rows; only the version it runs changes
  await pool.query(
    `UPDATE db_tars.t_server_conf SET tars_version = ?, present_state = 'active'
     WHERE application = 'tars' AND node_name = ? AND server_name IN (?)`,
    [cfg.version, cfg.address, servers],
  );
  await pool.query(
    `INSERT IGNORE INTO db_tars.t_adapter_conf (application, server_name, node_name, adapter_name, thread_num,
       endpoint, servant, posttime, lastuser)
     VALUES ('tars', 'tarsregistry', ?, 'tars.tarsregistry.QueryObjAdapter', 5, ?, 'tars.tarsregistry.QueryObj',
       NOW(), 'admin')`,
    [cfg.address, REGISTRY_SERVANTS[0][1](cfg.address)],
  );
}
