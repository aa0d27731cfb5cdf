import { onShutdown } from '../common/lifecycle.mjs';

// TarsWeb's LoginService deletes the expired t_login_temp_info rows when it loads, and again each time its one-
// minute ticket cache expires (sso/db-service/login/LoginService.js): those rows vanish without anyone's action.
const SWEEP_MS = 60_000;

async function removeExpired(pool, log) {
  const [result] = await pool.query('DELETE FROM db_user_system.t_login_temp_info WHERE expire_time < NOW()');
  if (result.affectedRows > 0) log.info(`removed ${result.affectedRows} expired login tickets`);
}

export async function startTicketSweeper(pool, log) {
  const sweep = () => removeExpired(pool, log).catch((err) => log.warn(`removing expired login tickets failed: ${err.message}`));
  await sweep();
  const timer = setInterval(sweep, SWEEP_MS);
  onShutdown(() => clearInterval(timer));
}
