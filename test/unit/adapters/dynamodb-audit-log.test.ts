import { describe, expect, it } from 'vitest';
import { AuditChainContentionError, DynamoDbAuditLog } from '../../../functions/adapters/dynamodb-audit-log';
import { DynamoDbProposalStore } from '../../../functions/adapters/dynamodb-proposal-store';
import { AuditEvent, proposalEntity } from '../../../functions/core/audit/audit-event';
import { chainAll, eventHash, GENESIS, verifyChain } from '../../../functions/core/audit/chain';
import { AUDIT_INDEXES } from '../../../functions/adapters/table-design';
import { cancelled, fail, scripted } from './scripted-client';

const conditionFailed = () => {
  throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
};
const noWait = async () => {};

const event = (at: string, action = 'VALIDATION_STARTED'): AuditEvent => ({
  entity: proposalEntity('prp-1'),
  action,
  actor: 'system:validate-proposal',
  at,
});

/** Stored items of one entity's chain, as the table holds them (keys, day, once beside the event). */
const stored = (events: AuditEvent[], once?: string) =>
  chainAll(events).map((e) => ({
    ...e,
    seq: String(e.position).padStart(10, '0'),
    day: e.at.slice(0, 10),
    ...(once && { once }),
  }));
const [first, second] = stored([event('2026-02-01T08:00:00.000Z', 'RECEIVED'), event('2026-02-01T08:00:01.000Z')]);

describe('appending to the audit log', () => {
  it('reads the end of the entity’s chain and puts the event after it, on the condition that the place is free', async () => {
    const { client, sent } = scripted({ QueryCommand: [() => ({ Items: [second] })], PutCommand: [() => ({})] });
    await new DynamoDbAuditLog(client, 'audit').append(event('2026-02-01T23:59:59.999Z', 'VALIDATED'));
    expect(sent.map((s) => s.name)).toEqual(['QueryCommand', 'PutCommand']);
    expect(sent[0]!.input).toMatchObject({
      TableName: 'audit',
      KeyConditionExpression: 'entity = :e',
      ExpressionAttributeValues: { ':e': 'proposal#prp-1' },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 1,
    });
    const { Item, ConditionExpression } = sent[1]!.input;
    expect(ConditionExpression).toBe('attribute_not_exists(seq)');
    expect(Item).toMatchObject({ seq: '0000000003', position: 3, prev: second!.hash, day: '2026-02-01' });
    expect(Item.hash).toBe(eventHash(Item));
    expect(verifyChain([first!, second!, Item])).toMatchObject({ ok: true, count: 3 });
  });

  it('starts an entity with no events at position 1, after GENESIS', async () => {
    const { client, sent } = scripted({ QueryCommand: [() => ({ Items: [] })], PutCommand: [() => ({})] });
    await new DynamoDbAuditLog(client, 'audit').append(event('2026-02-01T08:00:00.000Z'));
    expect(sent[1]!.input.Item).toMatchObject({ seq: '0000000001', position: 1, prev: GENESIS });
  });

  it('loses the race for a place to another writer, reads the end again and takes the place after the winner', async () => {
    const { client, sent } = scripted({
      QueryCommand: [() => ({ Items: [first] }), () => ({ Items: [second] })],
      PutCommand: [conditionFailed, () => ({})],
    });
    await new DynamoDbAuditLog(client, 'audit', noWait).append(event('2026-02-01T08:00:02.000Z', 'VALIDATED'));
    const puts = sent.filter((s) => s.name === 'PutCommand').map((s) => s.input.Item);
    expect(puts.map((i) => i.position)).toEqual([2, 3]);
    expect(puts[1]).toMatchObject({ prev: second!.hash });
  });

  it('gives up after a bounded number of lost races, naming the entity', async () => {
    const { client } = scripted({
      QueryCommand: Array.from({ length: 25 }, () => () => ({ Items: [first] })),
      PutCommand: Array.from({ length: 25 }, () => conditionFailed),
    });
    await expect(
      new DynamoDbAuditLog(client, 'audit', noWait).append(event('2026-02-01T08:00:02.000Z')),
    ).rejects.toThrow(AuditChainContentionError);
  });

  it('writes an event keyed `once` only if the entity has none with that key at that time, storing the key on the event', async () => {
    const [written] = stored([event('2026-02-01T08:00:00.000Z', 'BILL_STEP')], 'NOTICE_ISSUED');
    const again = scripted({ QueryCommand: [() => ({ Items: [written] })] });
    await new DynamoDbAuditLog(again.client, 'audit').append(event('2026-02-01T08:00:00.000Z', 'BILL_STEP'), {
      once: 'NOTICE_ISSUED',
    });
    expect(again.sent.map((s) => s.name)).toEqual(['QueryCommand']);
    // The whole trail is looked through, not its last event alone.
    expect(again.sent[0]!.input.Limit).toBeUndefined();
    expect(again.sent[0]!.input.ProjectionExpression).toContain('#once');

    const other = scripted({ QueryCommand: [() => ({ Items: [written] })], PutCommand: [() => ({})] });
    await new DynamoDbAuditLog(other.client, 'audit').append(event('2026-02-01T08:00:00.000Z', 'BILL_STEP'), {
      once: 'NOTICE_PAYMENT_CODE',
    });
    expect(other.sent[1]!.input.Item).toMatchObject({ position: 2, once: 'NOTICE_PAYMENT_CODE' });
  });

  it('tries a new entity’s first event at position 1 unread, and reads only when the place is taken', async () => {
    const fresh = scripted({ PutCommand: [() => ({})] });
    await new DynamoDbAuditLog(fresh.client, 'audit').append(event('2026-02-01T08:00:00.000Z'), { newEntity: true });
    expect(fresh.sent.map((s) => s.name)).toEqual(['PutCommand']);
    expect(fresh.sent[0]!.input.Item).toMatchObject({ position: 1, prev: GENESIS });

    const taken = scripted({
      PutCommand: [conditionFailed, () => ({})],
      QueryCommand: [() => ({ Items: [first] })],
    });
    await new DynamoDbAuditLog(taken.client, 'audit', noWait).append(event('2026-02-01T08:00:00.000Z'), {
      newEntity: true,
    });
    expect(taken.sent.map((s) => s.name)).toEqual(['PutCommand', 'QueryCommand', 'PutCommand']);
    expect(taken.sent[2]!.input.Item).toMatchObject({ position: 2, prev: first!.hash });
  });

  it('refuses an event that is not one (no actor) before anything is written', async () => {
    const { client, sent } = scripted({ QueryCommand: [() => ({ Items: [] })] });
    await expect(
      new DynamoDbAuditLog(client, 'audit').append({
        ...event('2026-02-01T08:00:00.000Z'),
        actor: undefined,
      } as unknown as AuditEvent),
    ).rejects.toThrow();
    expect(sent.filter((s) => s.name !== 'QueryCommand')).toEqual([]);
  });

  it('refuses to chain after an event with no place in a chain (written before the chain)', async () => {
    const legacy = { ...event('2026-02-01T08:00:00.000Z'), seq: '2026-02-01T08:00:00.000Z#0a0b0c0d' };
    const { client } = scripted({ QueryCommand: [() => ({ Items: [legacy] })] });
    await expect(new DynamoDbAuditLog(client, 'audit').append(event('2026-02-02T08:00:00.000Z'))).rejects.toThrow(
      /no place in a chain/,
    );
  });
});

describe('reading the audit log', () => {
  it('reads one entity’s events by position, consistently, across pages, without the storage attributes', async () => {
    const { client, sent } = scripted({
      QueryCommand: [
        () => ({ Items: [{ ...first, once: 'x' }], LastEvaluatedKey: { entity: 'proposal#prp-1', seq: '0000000001' } }),
        () => ({ Items: [second] }),
      ],
    });
    const events = await new DynamoDbAuditLog(client, 'audit').byEntity('proposal#prp-1');
    expect(events.map((e) => [e.position, e.action])).toEqual([
      [1, 'RECEIVED'],
      [2, 'VALIDATION_STARTED'],
    ]);
    for (const key of ['seq', 'day', 'once']) expect(events[0]).not.toHaveProperty(key);
    expect(sent[0]!.input).toMatchObject({ TableName: 'audit', ConsistentRead: true });
    expect(sent[0]!.input.IndexName).toBeUndefined();
  });

  it('reads one UTC day of every entity from the day index, oldest first', async () => {
    const [other] = stored([{ ...event('2026-02-01T07:00:00.000Z', 'RECEIVED'), entity: 'proposal#prp-2' }]);
    const { client, sent } = scripted({ QueryCommand: [() => ({ Items: [second, first, other] })] });
    const events = await new DynamoDbAuditLog(client, 'audit').byDay('2026-02-01');
    expect(events.map((e) => [e.entity, e.position])).toEqual([
      ['proposal#prp-2', 1],
      ['proposal#prp-1', 1],
      ['proposal#prp-1', 2],
    ]);
    expect(sent[0]!.input).toMatchObject({
      IndexName: AUDIT_INDEXES.byDay,
      ExpressionAttributeValues: { ':d': '2026-02-01' },
    });
  });
});

describe('stores writing their audit events through the audit log', () => {
  it('writes a proposal change and its chained event in one transaction, the change first', async () => {
    const { client, sent } = scripted({
      QueryCommand: [() => ({ Items: [second] })],
      TransactWriteCommand: [() => ({})],
      GetCommand: [() => ({ Item: undefined })],
    });
    const store = new DynamoDbProposalStore(client, { proposals: 'proposals', audit: 'audit' });
    await expect(
      store.change('prp-1', {
        from: ['RECEIVED'],
        set: { status: 'VALIDATING' },
        audit: { action: 'VALIDATION_STARTED', actor: 'system:validate-proposal' },
      }),
    ).rejects.toThrow(/does not exist/);
    const write = sent.find((s) => s.name === 'TransactWriteCommand')!;
    const [change, audit] = write.input.TransactItems;
    expect(change.Update.TableName).toBe('proposals');
    expect(audit.Put).toMatchObject({
      TableName: 'audit',
      ConditionExpression: 'attribute_not_exists(seq)',
      Item: { entity: 'proposal#prp-1', position: 3, prev: second!.hash },
    });
  });

  it('re-reads and retries when only the event lost its place; the proposal’s own condition still reaches the store', async () => {
    const raced = scripted({
      QueryCommand: [() => ({ Items: [first] }), () => ({ Items: [second] })],
      TransactWriteCommand: [fail(cancelled('None', 'ConditionalCheckFailed')), () => ({})],
      GetCommand: [() => ({ Item: undefined })],
    });
    const change = {
      from: ['RECEIVED' as const],
      set: { status: 'VALIDATING' as const },
      audit: { action: 'VALIDATION_STARTED', actor: 'system:validate-proposal' },
    };
    const store = new DynamoDbProposalStore(raced.client, { proposals: 'proposals', audit: 'audit' });
    await expect(store.change('prp-1', change)).rejects.toThrow(/does not exist/);
    const writes = raced.sent.filter((s) => s.name === 'TransactWriteCommand');
    expect(writes.map((w) => w.input.TransactItems[1].Put.Item.position)).toEqual([2, 3]);

    const conflict = scripted({
      QueryCommand: [() => ({ Items: [first] })],
      TransactWriteCommand: [fail(cancelled('ConditionalCheckFailed', 'None'))],
      GetCommand: [() => ({ Item: { id: 'prp-1', status: 'VALIDATING' } })],
    });
    const other = new DynamoDbProposalStore(conflict.client, { proposals: 'proposals', audit: 'audit' });
    await expect(other.change('prp-1', change)).rejects.toThrow();
    expect(conflict.sent.filter((s) => s.name === 'TransactWriteCommand')).toHaveLength(1);
  });
});
