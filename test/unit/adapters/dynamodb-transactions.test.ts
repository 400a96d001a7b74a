import { describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../../functions/adapters/dynamodb-quota-ledger';
import { readWriteFailure, withTransientRetries } from '../../../functions/adapters/dynamodb-transactions';
import { cancelled, fail, scripted } from './scripted-client';

describe('reading why a write failed', () => {
  it('tells a failed condition, with the items it failed on, from everything else', () => {
    expect(readWriteFailure(cancelled('None', 'ConditionalCheckFailed'))).toEqual({ kind: 'condition', items: [1] });
    expect(readWriteFailure(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }))).toEqual({
      kind: 'condition',
      items: [0],
    });
  });

  it('takes a conflict or a throttle for "nothing decided", even beside a failed condition', () => {
    for (const code of [
      'TransactionConflict',
      'ThrottlingError',
      'ProvisionedThroughputExceeded',
      'RequestLimitExceeded',
    ]) {
      expect(readWriteFailure(cancelled('ConditionalCheckFailed', code)).kind, code).toBe('transient');
    }
    expect(
      readWriteFailure(Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' })).kind,
    ).toBe('transient');
  });

  it('calls anything else other: a validation error is neither done nor worth retrying', () => {
    expect(readWriteFailure(cancelled('ValidationError')).kind).toBe('other');
    expect(readWriteFailure(cancelled('None', 'ItemCollectionSizeLimitExceeded')).kind).toBe('other');
    expect(readWriteFailure(new Error('socket hang up')).kind).toBe('other');
  });

  it('retries a transient failure and gives up with it after the last attempt', async () => {
    let calls = 0;
    const noSleep = async () => undefined;
    await expect(
      withTransientRetries(
        async () => (++calls < 3 ? Promise.reject(cancelled('TransactionConflict')) : 'ok'),
        6,
        noSleep,
      ),
    ).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withTransientRetries(
        async () => Promise.reject(cancelled('ThrottlingError', 'None')).finally(() => calls++),
        4,
        noSleep,
      ),
    ).rejects.toMatchObject({
      name: 'TransactionCanceledException',
    });
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      withTransientRetries(
        async () => Promise.reject(cancelled('ConditionalCheckFailed')).finally(() => calls++),
        4,
        noSleep,
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });
});

describe('a quota release that meets a conflict', () => {
  const quota = { key: 'quota#kapuas-2026-apbd', limit: 5000, scope: 'programme' as const };

  it('tries again until the places are back, instead of taking the conflict for "already released"', async () => {
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: { count: 7 } }), () => ({ Item: { count: 7 } })],
      TransactWriteCommand: [
        fail(cancelled('TransactionConflict', 'None')),
        fail(cancelled('None', 'TransactionConflict')),
        () => ({}),
      ],
    });
    await new DynamoDbQuotaLedger(client, 'quotas').release(quota, 'prp-1');
    const writes = sent.filter((s) => s.name === 'TransactWriteCommand');
    expect(writes).toHaveLength(3);
    expect(writes.at(-1)!.input.TransactItems[1].Update.ExpressionAttributeValues).toEqual({ ':n': 7 });
  });

  it('judges the release again when another release changed the share first', async () => {
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: { count: 7 } }), () => ({ Item: { count: 4 } })],
      TransactWriteCommand: [fail(cancelled('ConditionalCheckFailed', 'None')), () => ({})],
    });
    await new DynamoDbQuotaLedger(client, 'quotas').release(quota, 'prp-1', 2);
    const last = sent.filter((s) => s.name === 'TransactWriteCommand').at(-1)!.input.TransactItems[0].Update
      .ExpressionAttributeValues;
    expect(last).toEqual({ ':n': 2, ':mine': 4 });
  });

  it('stops when the share is gone: someone released all of it', async () => {
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: { count: 7 } }), () => ({})],
      TransactWriteCommand: [fail(cancelled('ConditionalCheckFailed', 'None'))],
    });
    await new DynamoDbQuotaLedger(client, 'quotas').release(quota, 'prp-1');
    expect(sent.filter((s) => s.name === 'TransactWriteCommand')).toHaveLength(1);
  });
});
