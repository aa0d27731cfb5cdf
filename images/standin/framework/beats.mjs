import { onShutdown } from '../common/lifecycle.mjs';

// One server's heartbeat: written once when the server starts (ReapThread::init, AdminReapThread::init,
// tarsnode's registerNode) and then every `seconds`. A beat still running when the next is due is skipped.
export function beatEvery(seconds, name, beat, log) {
  let busy = false;
  const run = async () => {
    if (busy) return;
    busy = true;
    try {
      await beat();
    } catch (err) {
      log.warn(`${name} heartbeat failed: ${err.message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(run, seconds * 1000);
  onShutdown(() => clearInterval(timer));
  return run();
}
