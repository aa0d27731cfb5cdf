import { InputError } from '../errors.js';

/**
 * The watcher's clock, asked whenever a maintenance window is judged. TARS_DOCKER_TEST_NOW (an ISO 8601 instant)
 * makes it start at that instant and run on at real speed: how the lab tests put the watcher inside or outside a
 * window without waiting for Saturday night.
 */
export function watchClock(env: NodeJS.ProcessEnv = process.env, real: () => number = Date.now): () => Date {
  const text = env.TARS_DOCKER_TEST_NOW;
  if (!text) return () => new Date(real());
  const start = Date.parse(text);
  if (Number.isNaN(start)) throw new InputError(`TARS_DOCKER_TEST_NOW "${text}" is not an ISO 8601 instant`);
  const began = real();
  return () => new Date(start + (real() - began));
}
