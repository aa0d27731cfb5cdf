/**
 * Every promise run to its end, then their values; or, when any failed, the first failure in the order given (not
 * the first in time), so the error a run reports does not depend on which read was quicker.
 */
export async function settleAll<T extends readonly unknown[]>(all: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(all);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
