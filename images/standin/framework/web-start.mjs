import { startTicketSweeper } from './login-tickets.mjs';
import { syncWebModels } from './web-sync.mjs';

// What TarsWeb does to the databases as it loads, before it answers on :3000: the model sync, then the login
// service's first sweep of expired tickets (and one a minute after).
export async function webDatabaseStart(pool, log) {
  await syncWebModels(pool, log);
  await startTicketSweeper(pool, log);
}
