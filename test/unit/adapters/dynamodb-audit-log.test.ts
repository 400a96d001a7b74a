import { describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../../functions/adapters/dynamodb-audit-log';
import { DynamoDbParticipantStore } from '../../../functions/adapters/dynamodb-participant-store';
import { DynamoDbProposalStore } from '../../../functions/adapters/dynamodb-proposal-store';
import { AuditEvent, proposalEntity } from '../../../functions/core/audit/audit-event';
import { AUDIT_INDEXES } from '../../../functions/adapters/table-design';
import { participant, scripted } from './scripted-client';

const conditionFailed = () => {
  throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
};

const event = (at: string, action = 'VALIDATION_STARTED'): AuditEvent => ({
  entity: proposalEntity('prp-1'),
  action,
  actor: 'system:validate-proposal',
  at,
});

describe('the audit log’s key design', () => {
  it('keys an event by entity, `<at>#<unique>` and its UTC day, and never overwrites one', () => {
    const { Put } = new DynamoDbAuditLog(scripted({}).client, 'audit').auditItem(event('2026-02-01T23:59:59.999Z'));
    expect(Put.TableName).toBe('audit');
    expect(Put.ConditionExpression).toBe('attribute_not_exists(entity)');
    expect(Put.Item).toMatchObject({ entity: 'proposal#prp-1', day: '2026-02-01', action: 'VALIDATION_STARTED' });
    expect(Put.Item.seq).toMatch(/^2026-02-01T23:59:59\.999Z#[0-9a-f]{8}$/);
  });

  it('keeps two events of the same millisecond apart, and one keyed `once` in the same place every time', () => {
    const log = new DynamoDbAuditLog(scripted({}).client, 'audit');
    const at = '2026-02-01T08:00:00.000Z';
    expect(log.auditItem(event(at)).Put.Item.seq).not.toBe(log.auditItem(event(at)).Put.Item.seq);
    expect(log.auditItem(event(at), { once: 'enrolled#prp-1' }).Put.Item.seq).toBe(`${at}#enrolled#prp-1`);
    expect(log.auditItem(event(at), { once: 'enrolled#prp-1' })).toEqual(
      log.auditItem(event(at), { once: 'enrolled#prp-1' }),
    );
  });

  it('refuses an event that is not one (no actor) before anything is written', () => {
    const { client, sent } = scripted({});
    const log = new DynamoDbAuditLog(client, 'audit');
    expect(() =>
      log.auditItem({ ...event('2026-02-01T08:00:00.000Z'), actor: undefined } as unknown as AuditEvent),
    ).toThrow();
    expect(sent).toEqual([]);
  });
});

describe('appending to the audit log', () => {
  it('puts the event on its own, conditional on its key being new', async () => {
    const { client, sent } = scripted({ PutCommand: [() => ({})] });
    await new DynamoDbAuditLog(client, 'audit').append(event('2026-02-01T08:00:00.000Z'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.input).toMatchObject({
      TableName: 'audit',
      ConditionExpression: 'attribute_not_exists(entity)',
      Item: { day: '2026-02-01' },
    });
  });

  it('takes an event keyed `once` that meets itself for written, and any other failed condition for an error', async () => {
    const once = scripted({ PutCommand: [conditionFailed] });
    await expect(
      new DynamoDbAuditLog(once.client, 'audit').append(event('2026-02-01T08:00:00.000Z'), {
        once: 'dup#6203011205850001',
      }),
    ).resolves.toBeUndefined();
    const random = scripted({ PutCommand: [conditionFailed] });
    await expect(
      new DynamoDbAuditLog(random.client, 'audit').append(event('2026-02-01T08:00:00.000Z')),
    ).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });
});

describe('reading the audit log', () => {
  const stored = (at: string, action: string) => ({
    ...event(at, action),
    seq: `${at}#0a0b0c0d`,
    day: at.slice(0, 10),
  });

  it('reads one entity’s events oldest first, across pages, as events (without the key attributes)', async () => {
    const { client, sent } = scripted({
      QueryCommand: [
        () => ({
          Items: [stored('2026-02-01T08:00:00.000Z', 'RECEIVED')],
          LastEvaluatedKey: { entity: 'proposal#prp-1', seq: 'x' },
        }),
        () => ({ Items: [stored('2026-02-01T08:00:01.000Z', 'VALIDATION_STARTED')] }),
      ],
    });
    const events = await new DynamoDbAuditLog(client, 'audit').byEntity('proposal#prp-1');
    expect(events.map((e) => e.action)).toEqual(['RECEIVED', 'VALIDATION_STARTED']);
    expect(events[0]).not.toHaveProperty('seq');
    expect(events[0]).not.toHaveProperty('day');
    expect(sent[0]!.input).toMatchObject({
      TableName: 'audit',
      KeyConditionExpression: 'entity = :e',
      ExpressionAttributeValues: { ':e': 'proposal#prp-1' },
    });
    expect(sent[0]!.input.IndexName).toBeUndefined();
  });

  it('reads one UTC day of every entity from the day index', async () => {
    const { client, sent } = scripted({
      QueryCommand: [() => ({ Items: [stored('2026-02-01T23:00:00.000Z', 'RECEIVED')] })],
    });
    const events = await new DynamoDbAuditLog(client, 'audit').byDay('2026-02-01');
    expect(events).toEqual([event('2026-02-01T23:00:00.000Z', 'RECEIVED')]);
    expect(sent[0]!.input).toMatchObject({
      TableName: 'audit',
      IndexName: AUDIT_INDEXES.byDay,
      ExpressionAttributeValues: { ':d': '2026-02-01' },
    });
  });
});

describe('stores writing their audit events through the audit log', () => {
  it('writes a proposal change and its event in one transaction', async () => {
    const { client, sent } = scripted({
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
    const [write] = sent;
    expect(write!.name).toBe('TransactWriteCommand');
    const [change, audit] = write!.input.TransactItems;
    expect(change.Update.TableName).toBe('proposals');
    expect(audit.Put).toMatchObject({
      TableName: 'audit',
      ConditionExpression: 'attribute_not_exists(entity)',
      Item: { entity: 'proposal#prp-1' },
    });
    expect(audit.Put.Item.seq.startsWith(`${audit.Put.Item.at}#`)).toBe(true);
  });

  const one = participant();

  it('enrolls a participant with its event keyed by the proposal: a re-run writes the same key, which the condition refuses', async () => {
    const { client, sent } = scripted({ TransactWriteCommand: [() => ({})] });
    await new DynamoDbParticipantStore(client, { participants: 'participants', audit: 'audit' }).enroll([one], {
      execution: 'exec-1',
    });
    const audit = sent[0]!.input.TransactItems[1];
    expect(audit.Put).toMatchObject({
      TableName: 'audit',
      Item: {
        entity: 'participant#kapuas-2026-apbd#6203011205850001',
        seq: '2026-02-01T00:00:00.000Z#enrolled#prp-1',
        day: '2026-02-01',
        execution: 'exec-1',
      },
    });
  });

  it('records a person another proposal enrolled first on this proposal’s trail, once per NIK', async () => {
    const { client, sent } = scripted({
      TransactWriteCommand: [
        () =>
          Promise.reject(
            Object.assign(new Error('cancelled'), {
              name: 'TransactionCanceledException',
              CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
            }),
          ),
        () =>
          Promise.reject(
            Object.assign(new Error('cancelled'), {
              name: 'TransactionCanceledException',
              CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
            }),
          ),
      ],
      GetCommand: [() => ({ Item: { proposalId: 'prp-0' } })],
      PutCommand: [conditionFailed],
    });
    await new DynamoDbParticipantStore(client, { participants: 'participants', audit: 'audit' }).enroll([one], {});
    const put = sent.find((s) => s.name === 'PutCommand')!.input;
    expect(put).toMatchObject({
      TableName: 'audit',
      ConditionExpression: 'attribute_not_exists(entity)',
      Item: {
        entity: 'proposal#prp-1',
        action: 'DUPLICATE_ENROLLMENT_PREVENTED',
        details: { nik: one.nik, enrolledBy: 'prp-0' },
      },
    });
    expect(put.Item.seq).toBe(`${put.Item.at}#dup#${one.nik}`);
  });
});
