import { describe, expect, it } from 'vitest';
import { DynamoDbEnrolmentStore } from '../../../functions/adapters/dynamodb-enrolment-store';
import { openCoverage } from '../../../functions/core/contributions/coverage';
import { GENESIS } from '../../../functions/core/audit/chain';
import type { Participant } from '../../../functions/core/participants/participant';
import { cancelled, fail, participant, scripted } from './scripted-client';

const TABLES = { participants: 'participants', coverage: 'coverage', audit: 'audit' };

/** A person as record-participants hands them over: their participant and the coverage opened for it. */
const person = (n: number, over: Partial<Participant> = {}) => {
  const p = participant({ nik: `620301120585${String(n).padStart(4, '0')}`, kpj: `KPJ${n}`, ...over });
  const coverage = openCoverage(
    {
      programmeId: p.programmeId,
      nik: p.nik,
      villageCode: p.villageCode,
      kpj: p.kpj,
      start: '2026-01-01',
      end: '2026-12-31',
    },
    p.enrolledAt,
  );
  return { participant: p, coverage };
};
const people = (count: number, from = 1) => Array.from({ length: count }, (_, i) => person(from + i));
const tables = (items: { Put: { TableName: string } }[]) => items.map((i) => i.Put.TableName);

describe('enrolment in DynamoDB', () => {
  it('writes a batch in one transaction: participants and coverages, and one event unread at position 1', async () => {
    const { client, sent } = scripted({ TransactWriteCommand: [() => ({})] });
    const two = people(2);
    const outcome = await new DynamoDbEnrolmentStore(client, TABLES).record(two, {
      proposalId: 'prp-1',
      first: 2000,
      execution: 'exec-1',
    });
    expect(outcome).toEqual({ recorded: 2, existed: 0, heldElsewhere: 0 });
    // No Query for the end of anyone's chain: the batch's entity is new.
    expect(sent.map((s) => s.name)).toEqual(['TransactWriteCommand']);
    const items = sent[0]!.input.TransactItems;
    expect(tables(items)).toEqual(['participants', 'participants', 'coverage', 'coverage', 'audit']);
    expect(items[0].Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(nik)',
      Item: { nik: two[0]!.participant.nik, enrolment: 'enrolment#prp-1#0002000' },
    });
    expect(items[2].Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(nik)',
      Item: { nik: two[0]!.participant.nik, status: 'ACTIVE', version: 1 },
    });
    expect(items[4].Put.Item).toMatchObject({
      entity: 'enrolment#prp-1#0002000',
      action: 'PARTICIPANTS_ENROLLED',
      seq: '0000000001',
      prev: GENESIS,
      execution: 'exec-1',
      details: {
        proposalId: 'prp-1',
        villageCode: '62.03.01.2011',
        start: '2026-01-01',
        people: two.map(({ participant: p }) => ({ nik: p.nik, kpj: p.kpj })),
      },
    });
  });

  it('takes 49 people a transaction (99 items), each batch its own record named by its first person', async () => {
    const { client, sent } = scripted({ TransactWriteCommand: Array.from({ length: 3 }, () => () => ({})) });
    await new DynamoDbEnrolmentStore(client, TABLES).record(people(100), { proposalId: 'prp-1', first: 1000 });
    const writes = sent.map((s) => s.input.TransactItems);
    expect(writes.map((w) => w.length)).toEqual([99, 99, 5]);
    expect(writes.map((w) => w.at(-1).Put.Item.entity).sort()).toEqual([
      'enrolment#prp-1#0001000',
      'enrolment#prp-1#0001049',
      'enrolment#prp-1#0001098',
    ]);
  });

  it('throws when a throttle outlasts the retries, and counts nobody', async () => {
    const throttled = () => {
      throw cancelled('ThrottlingError', 'None');
    };
    const { client, sent } = scripted({ TransactWriteCommand: Array.from({ length: 6 }, () => throttled) });
    await expect(
      new DynamoDbEnrolmentStore(client, TABLES).record(people(1), { proposalId: 'prp-1', first: 0 }),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    // No one was looked up as if recorded: a throttle is not a person found.
    expect(sent.every((s) => s.name === 'TransactWriteCommand')).toBe(true);
  });

  it('after a condition failed, writes only who is missing, leaves another proposal’s person and says so', async () => {
    const [mine, theirs, again] = people(3);
    const { client, sent } = scripted({
      TransactWriteCommand: [fail(cancelled('None', 'ConditionalCheckFailed', 'None')), () => ({})],
      BatchGetCommand: [
        () => ({
          Responses: {
            participants: [
              { nik: theirs!.participant.nik, programmeId: 'kapuas-2026-apbd', proposalId: 'prp-0' },
              { nik: again!.participant.nik, programmeId: 'kapuas-2026-apbd', proposalId: 'prp-1' },
            ],
          },
        }),
        () => ({
          Responses: {
            coverage: [
              { nik: theirs!.participant.nik, programmeId: 'kapuas-2026-apbd' },
              { nik: again!.participant.nik, programmeId: 'kapuas-2026-apbd' },
            ],
          },
        }),
      ],
      QueryCommand: [() => ({ Items: [] }), () => ({ Items: [] })],
      PutCommand: [() => ({})],
    });
    const outcome = await new DynamoDbEnrolmentStore(client, TABLES).record([mine!, theirs!, again!], {
      proposalId: 'prp-1',
      first: 0,
    });
    expect(outcome).toEqual({ recorded: 1, existed: 1, heldElsewhere: 1 });
    const duplicate = sent.find((s) => s.name === 'PutCommand')!.input.Item;
    expect(duplicate).toMatchObject({
      entity: 'proposal#prp-1',
      action: 'DUPLICATE_ENROLLMENT_PREVENTED',
      details: { nik: theirs!.participant.nik, enrolledBy: 'prp-0' },
    });
    const repair = sent.filter((s) => s.name === 'TransactWriteCommand')[1]!.input.TransactItems;
    expect(tables(repair)).toEqual(['participants', 'coverage', 'audit']);
    expect(repair[0].Put.Item.nik).toBe(mine!.participant.nik);
    // On the same record, after what it holds (read, not assumed new), naming only who was written.
    expect(repair[2].Put.Item).toMatchObject({
      entity: 'enrolment#prp-1#0000000',
      details: { people: [{ nik: mine!.participant.nik, kpj: mine!.participant.kpj }] },
    });
  });

  it('a re-run that finds everyone recorded by this proposal writes nothing more', async () => {
    const two = people(2);
    const { client, sent } = scripted({
      TransactWriteCommand: [
        fail(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'None', 'None', 'None')),
      ],
      BatchGetCommand: [
        () => ({ Responses: { participants: two.map(({ participant: p }) => ({ ...p })) } }),
        () => ({ Responses: { coverage: two.map(({ coverage: c }) => ({ ...c })) } }),
      ],
    });
    const outcome = await new DynamoDbEnrolmentStore(client, TABLES).record(two, { proposalId: 'prp-1', first: 0 });
    expect(outcome).toEqual({ recorded: 0, existed: 2, heldElsewhere: 0 });
    expect(sent.filter((s) => s.name === 'TransactWriteCommand')).toHaveLength(1);
  });

  it('refuses a person of another proposal in the list it was given', async () => {
    const { client, sent } = scripted({});
    await expect(
      new DynamoDbEnrolmentStore(client, TABLES).record([person(1, { proposalId: 'prp-2' })], {
        proposalId: 'prp-1',
        first: 0,
      }),
    ).rejects.toThrow(/prp-2/);
    expect(sent).toEqual([]);
  });
});
