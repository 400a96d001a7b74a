/**
 * Capacity units by DynamoDB's on-demand rules, for the two requests DynamoDB Local does not report as
 * DynamoDB bills them (enrollment.ts): a transaction costs two units per item (write: per 1 KB of the
 * item; read: per 4 KB), and BatchGetItem costs a read per key asked, found or not (one unit per 4 KB
 * consistent, half eventually consistent). Table units only: index writes are what DynamoDB Local
 * reports for them. Item sizes are approximated by their JSON length (names and values, as DynamoDB
 * counts them, give or take the punctuation).
 */
type TransactItem = { Put?: { Item: unknown }; Update?: unknown; Delete?: unknown; ConditionCheck?: unknown };

const kb = (item: unknown, unit: number) => Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item)) / unit));

export function awsUnits(command: string, input: any): { items: number; units?: number } {
  if (command === 'TransactWriteCommand') {
    const items = input.TransactItems as TransactItem[];
    return { items: items.length, units: items.reduce((n, i) => n + 2 * (i.Put ? kb(i.Put.Item, 1024) : 1), 0) };
  }
  if (command === 'TransactGetCommand')
    return { items: input.TransactItems.length, units: 2 * input.TransactItems.length };
  if (command === 'BatchGetCommand') {
    let items = 0;
    let units = 0;
    for (const { Keys, ConsistentRead } of Object.values(input.RequestItems) as {
      Keys: unknown[];
      ConsistentRead?: boolean;
    }[]) {
      items += Keys.length;
      units += Keys.length * (ConsistentRead ? 1 : 0.5);
    }
    return { items, units };
  }
  if (command === 'BatchWriteCommand')
    return { items: (Object.values(input.RequestItems) as unknown[][]).reduce((n, r) => n + r.length, 0) };
  return { items: 1 };
}
