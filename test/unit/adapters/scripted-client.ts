import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Participant } from '../../../functions/core/participants/participant';

/**
 * A document client that answers from a script: each command name gets its answers in order, and
 * every command sent is kept. It is one by prototype, because the SDK's paginators refuse any other.
 */
export function scripted(answers: Record<string, ((input: any) => unknown)[]>) {
  const sent: { name: string; input: any }[] = [];
  const client = Object.assign(Object.create(DynamoDBDocumentClient.prototype), {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      const next = answers[name]?.shift();
      if (!next) throw new Error(`unexpected ${name}`);
      return next(command.input);
    },
  });
  return { client: client as DynamoDBDocumentClient, sent };
}

/** A cancelled transaction as DynamoDB reports it: one reason per item, in order. */
export const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** An answer that throws the error. */
export const fail = (error: Error) => () => {
  throw error;
};

/** A participant as record-participants writes one; override what a test is about. */
export const participant = (overrides: Partial<Participant> = {}): Participant =>
  ({
    nik: '6203011205850001',
    name: 'Budi Santoso',
    birthDate: '1985-05-12',
    sex: 'L',
    occupation: 'petani',
    programmeId: 'kapuas-2026-apbd',
    proposalId: 'prp-1',
    villageCode: '62.03.01.2011',
    kpj: 'KPJ0001',
    status: 'ACTIVE',
    coverageStart: '2026-01-01',
    coverageEnd: '2026-12-31',
    enrolledAt: '2026-02-01T00:00:00.000Z',
    ...overrides,
  }) as Participant;
