import { sleep } from '../common/env.mjs';
import { step } from '../common/lifecycle.mjs';

// The lab's broken release: the container stays up, tarsAdminRegistry before it started and heartbeats, but
// tarsregistry never comes up, so only a health check that looks at the registry's own row or ports can tell.
export async function failForever(log) {
  for (let attempt = 1; ; attempt++) {
    await step(async () => {
      log.error(`tarsregistry: failed to start, retrying (attempt ${attempt})`);
      await sleep(2000);
    });
  }
}
