import type mysql from 'mysql2/promise';
import { isMissingSchema } from '../db/connection.js';

/**
 * The servers deployed on a node (db_tars.t_server_conf, setting_state active) that its tarsnode does not report
 * active, as `App.Server (state)`. tarsnode checks them before each heartbeat; a node whose /data/tars was lost
 * fails to start them ("exe is not exist") and reports them inactive while it keeps heartbeating.
 */
export async function serversNotActive(conn: mysql.Connection, nodeName: string): Promise<string[]> {
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT application, server_name, present_state FROM db_tars.t_server_conf
        WHERE node_name = ? AND setting_state = 'active' AND present_state <> 'active' ORDER BY application, server_name`,
      [nodeName],
    );
    return rows.map((r) => `${String(r.application)}.${String(r.server_name)} (${String(r.present_state)})`);
  } catch (err) {
    if (isMissingSchema(err)) return [];
    throw err;
  }
}
