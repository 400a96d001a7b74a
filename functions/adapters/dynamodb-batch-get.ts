import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withTransientRetries } from './dynamodb-transactions';

type Item = Record<string, unknown>;
type Key = Record<string, string>;

/** DynamoDB's limit per BatchGetItem. */
const KEYS_PER_BATCH_GET = 100;

export class UnprocessedKeysError extends Error {
  constructor(table: string, left: number) {
    super(`DynamoDB left ${left} keys of ${table} unread after every retry`);
    this.name = 'UnprocessedKeysError';
  }
}

/**
 * Reads items by key, 100 to a request. DynamoDB may answer part of a batch and hand back the rest
 * as UnprocessedKeys (throttling, the 16 MB answer limit): those are asked again with backoff until
 * none is left, and it throws rather than return a short list after the last attempt. Items come
 * back in the order of `keys`; a key with no item is left out.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  options: { consistent?: boolean; attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<Item[]> {
  const { attempts = 8, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) } = options;
  const keyNames = Object.keys(keys[0] ?? {});
  const id = (item: Item) => JSON.stringify(keyNames.map((k) => item[k]));
  const found = new Map<string, Item>();
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH_GET) {
    let pending: Key[] = keys.slice(i, i + KEYS_PER_BATCH_GET);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > attempts) throw new UnprocessedKeysError(table, pending.length);
      if (attempt > 1) await sleep(Math.random() * 25 * 2 ** attempt);
      const request = { [table]: { Keys: pending, ConsistentRead: options.consistent } };
      const answer = await withTransientRetries(() => db.send(new BatchGetCommand({ RequestItems: request })));
      for (const item of answer.Responses?.[table] ?? []) found.set(id(item), item);
      pending = (answer.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  }
  return keys.flatMap((k): Item[] => {
    const item = found.get(id(k));
    return item ? [item] : [];
  });
}
