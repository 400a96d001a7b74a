import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../../functions/adapters/dynamodb-quota-ledger';
import { cancelled } from './scripted-client';

const holder = {
  proposalId: 'prp-mine',
  programmeId: 'kapuas-2026-apbd',
  villageCode: '62.03.01.2011',
  fileName: 'usulan.xlsx',
};
const other = { ...holder, proposalId: 'prp-other', villageCode: '62.03.02.2001', fileName: 'lain.xlsx' };
const PERIOD = '62.03#2026-01-01/2026-12-31';
const niks = Array.from({ length: 250 }, (_, i) => ({ nik: `6203011205850${String(i).padStart(3, '0')}`, row: i + 2 }));
const key = (nik: string) => `nik#${PERIOD}#${nik}|claim`;

type Item = Record<string, any>;
type Write = {
  Put?: { Item: Item; ExpressionAttributeValues: Item };
  Delete?: { Key: Item; ExpressionAttributeValues: Item };
};

/**
 * The claims table as DynamoDB keeps it, in memory: consistent BatchGetItem (at most 100 keys) and
 * TransactWriteItems (at most 100 items, all or none) judged on the ledger's two conditions. Writes
 * take a moment so requests overlap; `before` may answer a transaction with an error first (a
 * throttle), or change the table just before it is judged (another proposal's claim landing).
 */
function claimsTable(before: (write: Write[], n: number) => Error | undefined = () => undefined) {
  const items = new Map<string, Item>();
  const sent: { name: string; size: number }[] = [];
  let transactions = 0;
  let inFlight = 0;
  let most = 0;
  const client = Object.assign(Object.create(DynamoDBDocumentClient.prototype), {
    send: async (command: { constructor: { name: string }; input: any }) => {
      const name = command.constructor.name;
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      if (name === 'BatchGetCommand') {
        const [table, { Keys, ConsistentRead }] = Object.entries(command.input.RequestItems)[0] as [string, any];
        expect(ConsistentRead).toBe(true);
        expect(Keys.length).toBeLessThanOrEqual(100);
        sent.push({ name, size: Keys.length });
        const found = (Keys as Item[]).flatMap((k) => items.get(`${k.pk}|${k.sk}`) ?? []);
        return { Responses: { [table]: found } };
      }
      if (name === 'TransactWriteCommand') {
        const writes = command.input.TransactItems as Write[];
        expect(writes.length).toBeLessThanOrEqual(100);
        sent.push({ name, size: writes.length });
        const error = before(writes, ++transactions);
        if (error) throw error;
        const keys = writes.map((w) =>
          w.Put ? `${w.Put.Item.pk}|${w.Put.Item.sk}` : `${w.Delete!.Key.pk}|${w.Delete!.Key.sk}`,
        );
        expect(new Set(keys).size).toBe(keys.length);
        const codes = writes.map((w, i) => {
          const held = items.get(keys[i]!);
          const me = (w.Put ?? w.Delete)!.ExpressionAttributeValues[':me'];
          const holds = w.Put ? !held || held.proposalId === me : held?.proposalId === me;
          return holds ? 'None' : 'ConditionalCheckFailed';
        });
        if (codes.some((c) => c !== 'None')) throw cancelled(...codes);
        writes.forEach((w, i) => (w.Put ? items.set(keys[i]!, w.Put.Item) : items.delete(keys[i]!)));
        return {};
      }
      throw new Error(`unexpected ${name}`);
    },
  });
  const claimedBy = (proposalId: string) =>
    [...items.values()].filter((i) => i.proposalId === proposalId).map((i) => String(i.pk).split('#').pop());
  const seed = (nik: string, by: Item) =>
    items.set(key(nik), { pk: `nik#${PERIOD}#${nik}`, sk: 'claim', ...by, row: 9 });
  return { client: client as DynamoDBDocumentClient, sent, most: () => most, claimedBy, seed };
}

const named = (name: string) => Object.assign(new Error(name), { name });
const count = (sent: { name: string }[], name: string) => sent.filter((s) => s.name === name).length;

describe('claiming people in the quota ledger', () => {
  it('claims 250 NIKs in three reads and three transactions, and names who holds the ones another proposal has', async () => {
    const table = claimsTable();
    table.seed(niks[7]!.nik, other);
    table.seed(niks[142]!.nik, other);
    const taken = await new DynamoDbQuotaLedger(table.client, 'quotas').claim(PERIOD, holder, niks);
    expect([...taken.keys()].sort()).toEqual([niks[7]!.nik, niks[142]!.nik]);
    expect(taken.get(niks[7]!.nik)).toEqual({ ...other, row: 9 });
    expect(table.claimedBy('prp-mine')).toHaveLength(248);
    expect(table.claimedBy('prp-other')).toHaveLength(2);
    expect(count(table.sent, 'BatchGetCommand')).toBe(3);
    expect(table.sent.filter((s) => s.name === 'TransactWriteCommand').map((s) => s.size)).toEqual([100, 100, 48]);
    expect(table.most()).toBeGreaterThan(1);
  });

  it("reads who holds NIKs in another regency's period, consistently, 100 keys a request, writing nothing", async () => {
    const table = claimsTable();
    table.seed(niks[3]!.nik, other);
    table.seed(niks[201]!.nik, other);
    const held = await new DynamoDbQuotaLedger(table.client, 'quotas').holders(
      PERIOD,
      niks.map((n) => n.nik),
    );
    expect([...held.keys()].sort()).toEqual([niks[3]!.nik, niks[201]!.nik]);
    expect(held.get(niks[201]!.nik)).toEqual({ ...other, row: 9 });
    expect(count(table.sent, 'TransactWriteCommand')).toBe(0);
    expect(table.sent.map((s) => s.size).sort((a, b) => b - a)).toEqual([100, 100, 50]);
  });

  it('claims what it already holds again without writing (a retried validation)', async () => {
    const table = claimsTable();
    const ledger = new DynamoDbQuotaLedger(table.client, 'quotas');
    await ledger.claim(PERIOD, holder, niks.slice(0, 50));
    table.sent.length = 0;
    expect((await ledger.claim(PERIOD, holder, niks.slice(0, 50))).size).toBe(0);
    expect(count(table.sent, 'TransactWriteCommand')).toBe(0);
  });

  it('claims a NIK listed twice once, in the first row (a transaction may not name one item twice)', async () => {
    const table = claimsTable();
    await new DynamoDbQuotaLedger(table.client, 'quotas').claim(PERIOD, holder, [
      niks[0]!,
      { nik: niks[0]!.nik, row: 99 },
      niks[1]!,
    ]);
    expect(table.claimedBy('prp-mine')).toEqual([niks[0]!.nik, niks[1]!.nik]);
  });

  it('loses a NIK claimed by another between its read and its write, and still claims the rest of that batch', async () => {
    // The first transaction finds one of its people just taken: DynamoDB cancels all 100.
    const table = claimsTable((writes, n) => {
      if (n === 1) table.seed(String(writes[30]!.Put!.Item.pk).split('#').pop()!, other);
      return undefined;
    });
    const taken = await new DynamoDbQuotaLedger(table.client, 'quotas').claim(PERIOD, holder, niks.slice(0, 100));
    expect([...taken.keys()]).toEqual([niks[30]!.nik]);
    expect(table.claimedBy('prp-mine')).toHaveLength(99);
    expect(table.claimedBy('prp-other')).toEqual([niks[30]!.nik]);
  });

  it('never gives one person to two proposals claiming the same file at once', async () => {
    const table = claimsTable();
    const ledger = new DynamoDbQuotaLedger(table.client, 'quotas');
    const [a, b] = await Promise.all([
      ledger.claim(PERIOD, holder, niks),
      ledger.claim(PERIOD, other, [...niks].reverse()),
    ]);
    expect(table.claimedBy('prp-mine').length + table.claimedBy('prp-other').length).toBe(niks.length);
    expect(a.size + b.size).toBe(niks.length);
    for (const nik of table.claimedBy('prp-mine')) expect(b.get(nik!)?.proposalId).toBe('prp-mine');
    for (const nik of table.claimedBy('prp-other')) expect(a.get(nik!)?.proposalId).toBe('prp-other');
  });

  it('retries a throttled or conflicting transaction instead of taking its people for held by someone', async () => {
    const table = claimsTable((_, n) =>
      n === 1 ? named('ThrottlingException') : n === 2 ? cancelled('TransactionConflict', 'None') : undefined,
    );
    const taken = await new DynamoDbQuotaLedger(table.client, 'quotas').claim(PERIOD, holder, niks.slice(0, 10));
    expect(taken.size).toBe(0);
    expect(table.claimedBy('prp-mine')).toHaveLength(10);
  });

  it('stops with the error when a write fails for a reason retrying cannot mend', async () => {
    const table = claimsTable(() => named('ValidationException'));
    await expect(new DynamoDbQuotaLedger(table.client, 'quotas').claim(PERIOD, holder, niks)).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('lets go of its own claims, 100 to a transaction, leaving another proposal’s alone', async () => {
    const table = claimsTable();
    const ledger = new DynamoDbQuotaLedger(table.client, 'quotas');
    table.seed(niks[5]!.nik, other);
    await ledger.claim(PERIOD, holder, niks);
    table.sent.length = 0;
    await ledger.unclaim(
      PERIOD,
      'prp-mine',
      niks.map((n) => n.nik),
    );
    expect(table.claimedBy('prp-mine')).toEqual([]);
    expect(table.claimedBy('prp-other')).toEqual([niks[5]!.nik]);
    expect(table.sent.filter((s) => s.name === 'TransactWriteCommand').map((s) => s.size)).toEqual([100, 100, 49]);
  });

  it('reads again when a claim it meant to let go was let go (or taken) meanwhile, and deletes only its own', async () => {
    const table = claimsTable((writes, n) => {
      // A release running beside this one freed niks[3], and another proposal took it at once.
      if (n === 2) table.seed(String(writes[3]!.Delete!.Key.pk).split('#').pop()!, other);
      return undefined;
    });
    const ledger = new DynamoDbQuotaLedger(table.client, 'quotas');
    await ledger.claim(PERIOD, holder, niks.slice(0, 20));
    await ledger.unclaim(
      PERIOD,
      'prp-mine',
      niks.slice(0, 20).map((n) => n.nik),
    );
    expect(table.claimedBy('prp-mine')).toEqual([]);
    expect(table.claimedBy('prp-other')).toEqual([niks[3]!.nik]);
  });
});
