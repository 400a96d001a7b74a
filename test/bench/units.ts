/**
 * Capacity units by DynamoDB's on-demand rules, for the two requests DynamoDB Local does not report as
 * DynamoDB bills them (enrollment.ts): a transaction costs two units per item (write: per 1 KB of the
 * item; read: per 4 KB), and BatchGetItem costs a read per key asked, found or not (one unit per 4 KB
 * consistent, half eventually consistent). Item sizes are approximated by their JSON length (names and
 * values, as DynamoDB counts them, give or take the punctuation).
 *
 * Index writes (`indexWriteUnits`) by DynamoDB's rules too: DynamoDB Local reports ~5,000 index units for
 * 20,000 items put in transactions into tables with three indexes between them (it counts index capacity
 * per request, not per item), which made an earlier round's cost too low.
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

/** A global secondary index as DescribeTable gives it: its key attributes and what it projects. */
export type IndexDesign = { keys: string[]; projection: string; include: string[] };
/** A table's own key attributes and its global secondary indexes. */
export type TableDesign = { keys: string[]; indexes: IndexDesign[] };

/**
 * Write units a command costs on the tables' global secondary indexes, by DynamoDB's rules: an item put
 * with every key of an index costs that index one unit per KB of what it projects (ALL: the item; KEYS_ONLY:
 * the keys; INCLUDE: the keys and the attributes named); an update or delete, whose item the bench does not
 * see, one unit per index of the table (an entry rewritten or removed; an update that moves an index key
 * costs two on DynamoDB, so this is a floor). Not transactional: DynamoDB does not double index writes.
 * Undefined for reads and for tables it was not told of.
 */
export function indexWriteUnits(command: string, input: any, designs: ReadonlyMap<string, TableDesign>) {
  const put = (table: string, item: Record<string, unknown>) =>
    (designs.get(table)?.indexes ?? [])
      .filter((index) => index.keys.every((k) => item[k] !== undefined))
      .reduce((n, index) => {
        if (index.projection === 'ALL') return n + kb(item, 1024);
        const kept = [...(designs.get(table)?.keys ?? []), ...index.keys, ...index.include];
        return n + kb(Object.fromEntries(kept.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])), 1024);
      }, 0);
  const other = (table: string) => designs.get(table)?.indexes.length ?? 0;
  if (command === 'PutCommand') return put(input.TableName, input.Item);
  if (command === 'UpdateCommand' || command === 'DeleteCommand') return other(input.TableName);
  if (command === 'TransactWriteCommand')
    return (input.TransactItems as TransactItem[]).reduce((n, i: any) => {
      if (i.Put) return n + put(i.Put.TableName, i.Put.Item);
      if (i.Update) return n + other(i.Update.TableName);
      if (i.Delete) return n + other(i.Delete.TableName);
      return n;
    }, 0);
  if (command === 'BatchWriteCommand')
    return Object.entries(input.RequestItems as Record<string, any[]>).reduce(
      (n, [table, requests]) =>
        n + requests.reduce((m, r) => m + (r.PutRequest ? put(table, r.PutRequest.Item) : other(table)), 0),
      0,
    );
  return undefined;
}
