import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../../functions/adapters/dynamodb-quota-ledger';

const holder = {
  proposalId: 'prp-mine',
  programmeId: 'kapuas-2026-apbd',
  villageCode: '62.03.01.2011',
  fileName: 'usulan.xlsx',
};
const niks = Array.from({ length: 60 }, (_, i) => ({ nik: `62030112058500${String(i).padStart(2, '0')}`, row: i + 2 }));

/**
 * A table whose writes take a moment, so claims overlap as they do against DynamoDB; it counts how
 * many are in flight at once and answers each put with what `onPut` decides.
 */
function slowTable(onPut: (nik: string, attempt: number) => Error | undefined) {
  let inFlight = 0;
  let most = 0;
  const attempts = new Map<string, number>();
  const client = Object.assign(Object.create(DynamoDBDocumentClient.prototype), {
    send: async (command: { constructor: { name: string }; input: any }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      const nik = String(command.input.Key?.pk ?? command.input.Item?.pk)
        .split('#')
        .pop()!;
      if (command.constructor.name === 'GetCommand') return { Item: { ...holder, proposalId: 'prp-other', row: 9 } };
      const attempt = (attempts.get(nik) ?? 0) + 1;
      attempts.set(nik, attempt);
      const error = onPut(nik, attempt);
      if (error) throw error;
      return {};
    },
  });
  return { client: client as DynamoDBDocumentClient, most: () => most, attempts };
}

const named = (name: string) => Object.assign(new Error(name), { name });

describe('claiming people in the quota ledger', () => {
  it('claims every NIK, a bounded number at a time, and names who holds the ones another proposal has', async () => {
    const table = slowTable((nik) =>
      nik.endsWith('07') || nik.endsWith('42') ? named('ConditionalCheckFailedException') : undefined,
    );
    const taken = await new DynamoDbQuotaLedger(table.client, 'quotas').claim('62.03#2026', holder, niks);
    expect([...taken.keys()].sort()).toEqual([niks[7]!.nik, niks[42]!.nik]);
    expect(taken.get(niks[7]!.nik)).toMatchObject({ proposalId: 'prp-other', row: 9 });
    expect(table.attempts.size).toBe(niks.length);
    expect(table.most()).toBeGreaterThan(1);
    expect(table.most()).toBeLessThanOrEqual(16);
  });

  it('retries a throttled claim instead of taking it for a claim someone else holds', async () => {
    const table = slowTable((nik, attempt) =>
      nik.endsWith('03') && attempt === 1 ? named('ThrottlingException') : undefined,
    );
    const taken = await new DynamoDbQuotaLedger(table.client, 'quotas').claim('62.03#2026', holder, niks.slice(0, 10));
    expect(taken.size).toBe(0);
    expect(table.attempts.get(niks[3]!.nik)).toBe(2);
  });

  it('lets go of every claim, ignoring those that are no longer this proposal’s', async () => {
    const table = slowTable((nik) => (nik.endsWith('05') ? named('ConditionalCheckFailedException') : undefined));
    await new DynamoDbQuotaLedger(table.client, 'quotas').unclaim(
      '62.03#2026',
      'prp-mine',
      niks.map((n) => n.nik),
    );
    expect(table.attempts.size).toBe(niks.length);
    expect(table.most()).toBeLessThanOrEqual(16);
  });

  it('stops with the error when a write fails for a reason retrying cannot mend', async () => {
    const table = slowTable((nik) => (nik.endsWith('01') ? named('ValidationException') : undefined));
    await expect(
      new DynamoDbQuotaLedger(table.client, 'quotas').claim('62.03#2026', holder, niks),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
