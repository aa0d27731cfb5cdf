import { WEB_MODEL_COLUMNS } from './web-models.mjs';

// TarsWeb's start with webConf.alter (true by default): every model is synced with alter:true, which adds the
// model's missing columns and rewrites the others to the model's type, whatever the data (app/dao/db/index.js,
// sso/dao/db/index.js). A db_tars or db_tars_web sync error ends the web (process.exit(-1)); a db_user_system one
// is swallowed. The session keeps the sql_mode of mysql:5.6 (the Tars docs' MySQL), which is not strict: a
// narrowing cuts longer values with a warning instead of failing.
const MYSQL56_SQL_MODE = 'NO_ENGINE_SUBSTITUTION';

async function liveType(conn, { database, table, column }) {
  const [rows] = await conn.query(
    'SELECT COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?',
    [database, table, column],
  );
  return rows[0]?.type;
}

async function tableExists(conn, { database, table }) {
  const [rows] = await conn.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [database, table]);
  return rows.length > 0;
}

export async function syncWebModels(pool, log) {
  const conn = await pool.getConnection();
  try {
    await conn.query('SET SESSION sql_mode = ?', [MYSQL56_SQL_MODE]);
    for (const m of WEB_MODEL_COLUMNS) {
      try {
        if (!(await tableExists(conn, m))) continue;
        const type = await liveType(conn, m);
        if (type === m.type) continue;
        const t = `\`${m.database}\`.\`${m.table}\``;
        const sql = type === undefined
          ? `ALTER TABLE ${t} ADD \`${m.column}\` ${m.ddl}`
          : `ALTER TABLE ${t} CHANGE \`${m.column}\` \`${m.column}\` ${m.ddl}`;
        const [result] = await conn.query(sql);
        const cut = result?.warningStatus ? `, ${result.warningStatus} values cut` : '';
        log.info(`database ${m.database}.${m.table} sync succ (${m.column} ${type ?? 'missing'} -> ${m.type}${cut})`);
      } catch (err) {
        if (m.database === 'db_user_system') continue;
        throw new Error(`database ${m.database}.${m.table} sync error: ${err.message}`);
      }
    }
  } finally {
    conn.release();
  }
}
