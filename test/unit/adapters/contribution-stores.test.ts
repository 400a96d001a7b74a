import { describe, expect, it } from 'vitest';
import { batchGetAll, UnprocessedKeysError } from '../../../functions/adapters/dynamodb-batch-get';
import { BillUpdateConflictError, DynamoDbBillStore } from '../../../functions/adapters/dynamodb-bill-store';
import {
  CoverageUpdateConflictError,
  DynamoDbCoverageStore,
} from '../../../functions/adapters/dynamodb-coverage-store';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../../functions/adapters/dynamodb-cursor';
import { BillTally, issueBill, recordPayment } from '../../../functions/core/contributions/bill';
import type { Coverage } from '../../../functions/core/contributions/coverage';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { apply, coverage, on, PROGRAMME, PULAU_TELO, terms } from '../contributions/fixtures';
import { cancelled, fail, scripted } from './scripted-client';

const tables = { coverage: 'coverage', bills: 'bills', audit: 'audit' };
const named = (name: string) => Object.assign(new Error(name), { name });
const noSleep = async () => {};
/** A coverage as the table holds it: the record, its version and index keys. */
const stored = (c: Coverage, version: number) => ({
  ...c,
  version,
  programmeVillage: `${c.programmeId}#${c.villageCode}`,
});
const billed = (c: Coverage) => apply(c, terms(), on.billed('2026-01'));

describe('reading by key in batches', () => {
  const keys = Array.from({ length: 250 }, (_, i) => ({ nik: `n${i}`, programmeId: 'p' }));
  const answer = (input: any, leave = 0) => {
    const asked = input.RequestItems.t.Keys as { nik: string }[];
    return {
      Responses: { t: asked.slice(leave).map((k) => ({ ...k, found: true })) },
      UnprocessedKeys: leave ? { t: { Keys: asked.slice(0, leave) } } : {},
    };
  };

  it('asks again for unprocessed keys, 100 to a request, and answers in the order asked', async () => {
    const { client, sent } = scripted({
      BatchGetCommand: [(i) => answer(i, 30), (i) => answer(i), (i) => answer(i), (i) => answer(i)],
    });
    const items = await batchGetAll(client, 't', keys, { consistent: true, sleep: noSleep });
    expect(items.map((i) => i.nik)).toEqual(keys.map((k) => k.nik));
    expect(sent.map((s) => s.input.RequestItems.t.Keys.length)).toEqual([100, 30, 100, 50]);
    expect(sent.every((s) => s.input.RequestItems.t.ConsistentRead === true)).toBe(true);
  });

  it('retries a throttled batch and throws rather than answer short when keys stay unprocessed', async () => {
    const { client } = scripted({
      BatchGetCommand: [
        fail(named('ProvisionedThroughputExceededException')),
        ...Array(3).fill((i: any) => answer(i, 1)),
      ],
    });
    await expect(batchGetAll(client, 't', keys.slice(0, 5), { attempts: 3, sleep: noSleep })).rejects.toBeInstanceOf(
      UnprocessedKeysError,
    );
  });
});

describe('coverage updates', () => {
  const c = coverage(1);

  it('retries a throttled put instead of taking it for a lost race', async () => {
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: stored(c, 1) })],
      PutCommand: [fail(named('ThrottlingException')), () => ({})],
    });
    const result = await new DynamoDbCoverageStore(client, tables).update(PROGRAMME, c.nik, billed);
    expect(result.monthsBilled).toBe(1);
    expect(sent.map((s) => s.name)).toEqual(['GetCommand', 'PutCommand', 'PutCommand']);
    expect(sent[2]!.input).toMatchObject({
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': 1 },
      Item: { version: 2, billable: `${PROGRAMME}#1`, billableSort: `2026-01-01#${c.nik}` },
    });
  });

  it('re-reads and re-applies the event on what another writer stored when its condition fails', async () => {
    const other = { ...stored(c, 2), kpj: 'KPJ-OTHER' };
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: stored(c, 1) }), () => ({ Item: other })],
      PutCommand: [fail(named('ConditionalCheckFailedException')), () => ({})],
    });
    const result = await new DynamoDbCoverageStore(client, tables).update(PROGRAMME, c.nik, billed);
    expect(result).toMatchObject({ kpj: 'KPJ-OTHER', monthsBilled: 1 });
    expect(sent[3]!.input).toMatchObject({ ExpressionAttributeValues: { ':read': 2 }, Item: { version: 3 } });
  });

  it('gives up with an error naming the masked NIK when the coverage keeps changing', async () => {
    const { client } = scripted({
      GetCommand: Array(10).fill(() => ({ Item: stored(c, 1) })),
      PutCommand: Array(10).fill(fail(named('ConditionalCheckFailedException'))),
    });
    const error = await new DynamoDbCoverageStore(client, tables).update(PROGRAMME, c.nik, billed).catch((e) => e);
    expect(error).toBeInstanceOf(CoverageUpdateConflictError);
    expect(error.message).toContain('6203********0001');
    expect(error.message).not.toContain(c.nik);
  });

  it('writes a status change with its audit event in one transaction; a lapse leaves the billable index', async () => {
    const t = terms({ lapseAfterUnpaidMonths: 1 });
    const before = billed(c);
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: stored(before, 4) })],
      // The end of the participant's chain: their enrollment and the coverage's opening.
      QueryCommand: [() => ({ Items: [{ seq: '0000000002', position: 2, hash: 'e'.repeat(64) }] })],
      TransactWriteCommand: [() => ({})],
    });
    const result = await new DynamoDbCoverageStore(client, tables).update(PROGRAMME, c.nik, (x) =>
      apply(x, t, on.duePassed('2026-01')),
    );
    expect(result.status).toBe('LAPSED');
    expect(sent.map((s) => s.name)).toEqual(['GetCommand', 'QueryCommand', 'TransactWriteCommand']);
    const items = sent[2]!.input.TransactItems;
    // Two events of one participant in one transaction: the second chained to the first.
    expect(items.slice(1).map((i: any) => [i.Put.Item.position, i.Put.Item.prev])).toEqual([
      [3, 'e'.repeat(64)],
      [4, items[1].Put.Item.hash],
    ]);
    expect(items[0].Put.Item).not.toHaveProperty('billable');
    expect(items[0].Put.Item).not.toHaveProperty('billableSort');
    expect(items.slice(1).map((i: any) => `${i.Put.TableName}:${i.Put.Item.to}:${i.Put.Item.details.reason}`)).toEqual([
      'audit:ARREARS:BILL_OVERDUE',
      'audit:LAPSED:UNPAID_THRESHOLD',
    ]);
  });

  it('writes nothing when the event changes nothing (applied twice)', async () => {
    const { client, sent } = scripted({ GetCommand: [() => ({ Item: stored(billed(c), 2) })] });
    await new DynamoDbCoverageStore(client, tables).update(PROGRAMME, c.nik, billed);
    expect(sent.map((s) => s.name)).toEqual(['GetCommand']);
  });

  it('opens 50 coverages to a transaction, and one by one when someone in a chunk exists already', async () => {
    const many = Array.from({ length: 60 }, (_, i) => coverage(i));
    const { client, sent } = scripted({
      // Each participant's chain read for its COVERAGE_OPENED event: 50 + 10, then 10 again one by one.
      QueryCommand: Array(70).fill(() => ({ Items: [] })),
      TransactWriteCommand: [
        () => ({}),
        // A coverage of the chunk (the caller's items come first, the events after them).
        fail(cancelled('None', 'None', 'ConditionalCheckFailed', 'None')),
        ...Array(9).fill(() => ({})),
        fail(cancelled('ConditionalCheckFailed', 'None')),
      ],
    });
    const result = await new DynamoDbCoverageStore(client, tables).createMany(many);
    expect(result).toEqual({ created: 59, existed: 1 });
    const writes = sent.filter((s) => s.name === 'TransactWriteCommand');
    expect(writes.map((s) => s.input.TransactItems.length)).toEqual([100, 20, ...Array(10).fill(2)]);
    expect(writes[0]!.input.TransactItems.map((i: any) => i.Put.TableName)).toEqual([
      ...Array(50).fill('coverage'),
      ...Array(50).fill('audit'),
    ]);
  });
});

describe('the billable read', () => {
  it('is a Query of one shard of the billable index, its cursor the next page’s start key', async () => {
    const last = { billable: `${PROGRAMME}#3`, billableSort: '2026-01-01#x', nik: 'x', programmeId: PROGRAMME };
    const entry = {
      programmeId: PROGRAMME,
      nik: '6203011506880013',
      villageCode: PULAU_TELO,
      start: '2026-01-01',
      end: '2026-12-31',
    };
    const { client, sent } = scripted({
      QueryCommand: [() => ({ Items: [entry], LastEvaluatedKey: last }), () => ({ Items: [] })],
    });
    const store = new DynamoDbCoverageStore(client, tables);
    const first = await store.billable(PROGRAMME, '2026-12', 3);
    expect(first.items).toEqual([entry]);
    const second = await store.billable(PROGRAMME, '2026-12', 3, first.cursor);
    expect(second).toEqual({ items: [] });
    expect(sent[0]!.input).toMatchObject({
      IndexName: 'billable',
      KeyConditionExpression: 'billable = :b AND billableSort < :nextMonth',
      ExpressionAttributeValues: { ':b': `${PROGRAMME}#3`, ':nextMonth': '2027-01-01', ':firstDay': '2026-12-01' },
    });
    expect(sent[1]!.input.ExclusiveStartKey).toEqual(last);
  });

  it('refuses a cursor of another shard or a damaged one', () => {
    const cursor = encodeCursor({ billable: 'p#1', billableSort: 's', nik: 'n', programmeId: 'p' });
    expect(decodeCursor(cursor, { billable: 'p#1' })).toMatchObject({ nik: 'n' });
    expect(() => decodeCursor(cursor, { billable: 'p#2' })).toThrow(InvalidCursorError);
    expect(() => decodeCursor('not-json', { billable: 'p#1' })).toThrow(InvalidCursorError);
  });
});

describe('issuing a bill', () => {
  const tally = new BillTally(PROGRAMME, '2026-02');
  tally.addCounts([{ villageCode: PULAU_TELO, participants: 3 }]);
  const bill = issueBill({
    programme: { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] },
    tally,
    terms: terms(),
    holidays: indonesianHolidays,
    issuedAt: '2026-02-01T01:00:00.000Z',
  })!;

  it('puts the bill on the condition that the month has none, and returns the stored one when it has', async () => {
    const theirs = { ...bill, issuedAt: '2026-02-01T00:59:00.000Z', version: 1 };
    const { client, sent } = scripted({
      TransactWriteCommand: [fail(cancelled('ConditionalCheckFailed', 'None'))],
      GetCommand: [() => ({ Item: theirs })],
    });
    const result = await new DynamoDbBillStore(client, tables).issue(bill);
    expect(result).toEqual({ created: false, bill: { ...bill, issuedAt: '2026-02-01T00:59:00.000Z' } });
    expect(sent[0]!.input.TransactItems[0].Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(programmeId)',
      Item: { openBills: 'OPEN', dueSort: `2026-02-16#${bill.id}`, version: 1 },
    });
  });

  it('retries a transaction cancelled by a throttle, which decided nothing', async () => {
    const { client, sent } = scripted({
      TransactWriteCommand: [fail(cancelled('ThrottlingError', 'None')), () => ({})],
    });
    expect((await new DynamoDbBillStore(client, tables).issue(bill)).created).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it('does not take a failed audit condition for a bill someone else issued: the event is placed after the trail’s end', async () => {
    const { client, sent } = scripted({
      // Tried as the bill's first event, unread; someone's event holds position 1.
      TransactWriteCommand: [fail(cancelled('None', 'ConditionalCheckFailed')), () => ({})],
      QueryCommand: [() => ({ Items: [{ seq: '0000000001', position: 1, hash: 'a'.repeat(64) }] })],
    });
    expect((await new DynamoDbBillStore(client, tables).issue(bill)).created).toBe(true);
    expect(sent.map((s) => s.name)).toEqual(['TransactWriteCommand', 'QueryCommand', 'TransactWriteCommand']);
    expect(sent[0]!.input.TransactItems[1].Put.Item).toMatchObject({ position: 1, once: 'issued' });
    expect(sent[2]!.input.TransactItems[1].Put.Item).toMatchObject({ position: 2, prev: 'a'.repeat(64) });
  });

  const pay = (bankReference: string, amount: number) => (b: typeof bill) =>
    recordPayment(
      b,
      { bankReference, amount, paidOn: '2026-02-10', recordedAt: '2026-02-10T03:00:00.000Z', recordedBy: 'bpjs' },
      '2026-02-10',
    ).bill;

  it('re-applies a payment on the bill another payment changed in between, so both count', async () => {
    const theirs = pay('TRF-1', 100)(bill);
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: { ...bill, version: 1 } }), () => ({ Item: { ...theirs, version: 2 } })],
      QueryCommand: Array(2).fill(() => ({ Items: [] })),
      TransactWriteCommand: [fail(cancelled('ConditionalCheckFailed', 'None', 'None')), () => ({})],
    });
    const result = await new DynamoDbBillStore(client, tables).update(PROGRAMME, '2026-02', pay('TRF-2', 200));
    expect(result.payments.map((p) => p.bankReference)).toEqual(['TRF-1', 'TRF-2']);
    expect(result.paid).toBe(300);
    const last = sent.at(-1)!.input.TransactItems;
    expect(last[0].Put).toMatchObject({ ExpressionAttributeValues: { ':read': 2 }, Item: { version: 3 } });
    // The new payment's event only: TRF-1 was recorded with its own change.
    expect(last.slice(1).map((i: any) => i.Put.Item.action)).toEqual(['BILL_PAYMENT_RECORDED']);
  });

  it('gives up with an error when the bill keeps changing', async () => {
    const { client } = scripted({
      GetCommand: Array(10).fill(() => ({ Item: { ...bill, version: 1 } })),
      QueryCommand: Array(10).fill(() => ({ Items: [] })),
      TransactWriteCommand: Array(10).fill(fail(cancelled('ConditionalCheckFailed', 'None', 'None'))),
    });
    await expect(
      new DynamoDbBillStore(client, tables).update(PROGRAMME, '2026-02', pay('TRF-3', 1)),
    ).rejects.toBeInstanceOf(BillUpdateConflictError);
  });
});
