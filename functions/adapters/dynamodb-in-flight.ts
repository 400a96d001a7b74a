import pMap from 'p-map';

/**
 * Transactions in flight at once when a step writes many people. Each transaction holds other people,
 * so they never contend; a proposal's recording was a sequence of round trips (10,000 people: 400
 * transactions one after another). Four keep a new on-demand table's 4,000 write units a second busy
 * without living on its throttle (a 100-item transaction is 200 units); the transient retries absorb
 * the rest.
 */
export const TRANSACTIONS_IN_FLIGHT = 4;

/** `items` in runs of `size` (a transaction's worth, a batch's), in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `write` over `items` in chunks of `size`, TRANSACTIONS_IN_FLIGHT at a time. A chunk that fails lets the others
 * finish (nothing is left half-sent when the Lambda returns), then the first failure is thrown as it
 * was, so the workflow's retry and catch rules still see its name; the step's retry finds the finished
 * chunks recorded (conditional puts, once-keyed events).
 */
export async function inFlight<T>(
  items: readonly T[],
  size: number,
  write: (chunk: T[]) => Promise<void>,
): Promise<void> {
  try {
    await pMap(chunks(items, size), write, { concurrency: TRANSACTIONS_IN_FLIGHT, stopOnError: false });
  } catch (error) {
    throw error instanceof AggregateError && error.errors.length ? error.errors[0] : error;
  }
}
