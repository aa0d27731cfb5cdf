import { InvalidArgumentError } from 'commander';

/**
 * The one parser of numeric flags: commander calls it before any command runs, and a value it rejects becomes
 * commander's one-line error with exit code 2, so `Number('abc')` or a zero timeout can never reach a rollout.
 */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** Seconds as a decimal number, e.g. `180` or `2.5`; the result is in milliseconds. */
export function secondsToMs(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`must be a number of seconds from ${min} to ${max}`);
    return Math.round(n * 1000);
  };
}

/** Bounds shared by every command that has the flag. */
export const healthTimeout = secondsToMs(1, 86_400);
export const batchSize = wholeNumber(1, 1000);
