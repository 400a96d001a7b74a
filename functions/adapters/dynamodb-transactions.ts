/**
 * What a failed DynamoDB write means, read in one place. A transaction is cancelled as a whole, and
 * its CancellationReasons say, item by item, why: a condition that did not hold (someone else got
 * there first: often "already done"), a conflict with another transaction or a throttle (nothing
 * was decided: try again), or a request that can never succeed. Taking a conflict or a throttle for
 * "already done" loses places and counts people who were never written, so callers ask here.
 */

export type CancellationCode =
  | 'None'
  | 'ConditionalCheckFailed'
  | 'TransactionConflict'
  | 'ThrottlingError'
  | 'ProvisionedThroughputExceeded'
  | 'RequestLimitExceeded'
  | 'ItemCollectionSizeLimitExceeded'
  | 'ValidationError'
  | (string & {});

export type WriteFailure =
  /**
   * Conditions did not hold, on these items (indexes into TransactItems; [0] for a single write).
   * Nothing else went wrong.
   */
  | { kind: 'condition'; items: number[] }
  /** Nothing was written and nothing was decided: the same write may succeed if tried again. */
  | { kind: 'transient'; codes: CancellationCode[] }
  /** Not a write failure this module knows, or one retrying cannot mend. */
  | { kind: 'other' };

const TRANSIENT = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);
const TRANSIENT_ERRORS = new Set([
  'TransactionConflictException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);

// Compared by name: the SDK's error classes can come from more than one copy of the package.
const nameOf = (error: unknown) => (error as { name?: string } | undefined)?.name ?? '';

export function readWriteFailure(error: unknown): WriteFailure {
  const name = nameOf(error);
  if (name === 'ConditionalCheckFailedException') return { kind: 'condition', items: [0] };
  if (TRANSIENT_ERRORS.has(name)) return { kind: 'transient', codes: [name] };
  if (name !== 'TransactionCanceledException') return { kind: 'other' };
  const codes = ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
    (r) => r.Code ?? 'None',
  );
  // A transient reason anywhere means the conditions were not all judged: nothing is known yet.
  if (codes.some((c) => TRANSIENT.has(c))) return { kind: 'transient', codes: codes.filter((c) => c !== 'None') };
  const failed = codes.flatMap((c, i) => (c === 'ConditionalCheckFailed' ? [i] : []));
  if (failed.length && codes.every((c) => c === 'None' || c === 'ConditionalCheckFailed'))
    return { kind: 'condition', items: failed };
  return { kind: 'other' };
}

export const isConditionFailure = (error: unknown) => readWriteFailure(error).kind === 'condition';

/**
 * Runs a write, trying again (with jittered backoff) while DynamoDB answers with a conflict or a
 * throttle; a condition failure or any other error goes back to the caller at once. After the
 * last attempt the transient error itself is thrown, so the workflow's own retry takes over.
 */
export async function withTransientRetries<T>(
  write: () => Promise<T>,
  attempts = 6,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || readWriteFailure(error).kind !== 'transient') throw error;
      await sleep(Math.random() * 25 * 2 ** attempt);
    }
  }
}
