// The lab's speed setting for its stand-ins: one row in tars_lab.standin_speed of the cluster's MySQL (written
// by `tars-docker lab up --standin-speed` or a test), read at every start. No such database, as on a lab that
// never asked for a speed: the real intervals. Containers cannot see the lab's files, but they all reach MySQL.
export async function readLabSpeed(pool, log) {
  try {
    const [rows] = await pool.query(
      'SELECT heartbeat_seconds, monitor_seconds, start_seconds FROM tars_lab.standin_speed WHERE id = 1',
    );
    const row = rows[0];
    if (!row) return {};
    log.info(`lab speed: heartbeat ${row.heartbeat_seconds}s, monitor ${row.monitor_seconds}s, start ${row.start_seconds}s`);
    return {
      heartbeatSeconds: Number(row.heartbeat_seconds),
      monitorSeconds: Number(row.monitor_seconds),
      startSeconds: Number(row.start_seconds),
    };
  } catch (err) {
    if (err.code === 'ER_BAD_DB_ERROR' || err.code === 'ER_NO_SUCH_TABLE') return {};
    throw err;
  }
}
