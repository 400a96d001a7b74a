import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Participant } from '../core/participants/participant';
import type { ParticipantStore } from '../ports/participant-store';
import { queryAll } from './dynamodb-pages';
import { withTransientRetries } from './dynamodb-transactions';
import { PARTICIPANT_INDEXES } from './table-design';

/**
 * Participants keyed by NIK and programme: one person can be covered once per programme, which the
 * table itself enforces (a conditional put, `participantPut`), so a person enrolled twice cannot be
 * paid twice. They are written by enrolment, with their coverage (dynamodb-enrolment-store.ts).
 */
export class DynamoDbParticipantStore implements ParticipantStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { participants: string },
  ) {}

  async listByProposal(proposalId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tables.participants,
      IndexName: PARTICIPANT_INDEXES.byProposal,
      KeyConditionExpression: 'proposalId = :p',
      ExpressionAttributeValues: { ':p': proposalId },
    });
    return items.map((i) => Participant.parse(i));
  }

  async get(programmeId: string, nik: string) {
    const { Item } = await withTransientRetries(() =>
      this.db.send(new GetCommand({ TableName: this.tables.participants, Key: { nik, programmeId } })),
    );
    return Item ? Participant.parse(Item) : undefined;
  }
}

/** A new participant's put, on the condition that the person is not a participant of the programme yet. */
export function participantPut(table: string, p: Participant) {
  return { Put: { TableName: table, Item: Participant.parse(p), ConditionExpression: 'attribute_not_exists(nik)' } };
}
