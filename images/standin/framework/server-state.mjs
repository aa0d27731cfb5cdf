// What tarsregistry keeps about the servers deployed on a node, in db_tars.t_server_conf: the node loads its list
// (setting_state active) and reports each server's present_state, as CDbHandle::updateServerState writes it.
const SERVER_ID = /^[A-Za-z0-9_-]{1,128}\.[A-Za-z0-9_-]{1,128}$/;
const STATES = new Set(['active', 'inactive', 'activating', 'deactivating']);

export async function deployedServers(pool, nodeName) {
  const [rows] = await pool.query(
    `SELECT CONCAT(application, '.', server_name) AS id FROM db_tars.t_server_conf
     WHERE node_name = ? AND setting_state = 'active' ORDER BY id`,
    [nodeName],
  );
  return rows.map((r) => r.id);
}

/** Returns an error text for a bad request, else stores the state. */
export async function updateServerState(pool, nodeName, serverId, state) {
  if (!SERVER_ID.test(serverId ?? '') || !STATES.has(state)) return 'usage: STATE <node_name> <app.server> <state>';
  const dot = serverId.indexOf('.');
  await pool.query(
    `UPDATE db_tars.t_server_conf SET present_state = ? WHERE application = ? AND server_name = ? AND node_name = ?`,
    [state, serverId.slice(0, dot), serverId.slice(dot + 1), nodeName],
  );
  return '';
}
