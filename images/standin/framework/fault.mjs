import { sleep } from '../common/env.mjs';

// The lab's broken release: the container stays up and logs, but no server ever comes up, so only a health
// check that looks at heartbeats or ports can tell.
export async function failForever(log) {
  for (let attempt = 1; ; attempt++) {
    log.error(`tarsregistry: failed to start, retrying (attempt ${attempt})`);
    await sleep(2000);
  }
}
