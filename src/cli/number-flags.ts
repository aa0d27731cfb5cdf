import { InputError } from '../errors.js';

// Commands check their number flags before they read a file or reach a host, so a typo costs nothing.

export function wholeNumberFlag(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag} must be a whole number >= 1 (got "${value}")`);
  return n;
}

export function secondsFlag(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InputError(`${flag} must be a number of seconds > 0 (got "${value}")`);
  return n;
}
