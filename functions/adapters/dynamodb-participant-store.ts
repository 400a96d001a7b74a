import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { participantEntity, proposalEntity } from '../core/audit/audit-event';
import { Participant } from '../core/participants/participant';
import type { ParticipantStore } from '../ports/participant-store';
import { DynamoDbAuditLog } from './dynamodb-audit-log';
import { inFlight } from './dynamodb-in-flight';
import { queryAll } from './dynamodb-pages';
import { readWriteFailure, withTransientRetries } from './dynamodb-transactions';
import { PARTICIPANT_INDEXES } from './table-design';

/** DynamoDB's limit is 100 items per transaction; each participant takes two (itself and its audit event). */
const PARTICIPANTS_PER_TRANSACTION = 50;

/**
 * Participants keyed by NIK and programme: one person can be covered once per programme, which the
 * table itself enforces (a conditional put), so a person enrolled twice cannot be paid twice.
 */
export class DynamoDbParticipantStore implements ParticipantStore {
  private readonly audit: DynamoDbAuditLog;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { participants: string; audit: string },
  ) {
    this.audit = new DynamoDbAuditLog(db, tables.audit);
  }

  async enroll(participants: Participant[], context: { execution?: string }) {
    await inFlight(participants, PARTICIPANTS_PER_TRANSACTION, async (chunk) => {
      try {
        await this.audit.transactWithEvents(
          chunk.map((p) => this.put(p)),
          chunk.map((p) => this.enrolled(p, context)),
        );
      } catch (error) {
        // Someone in the chunk is already recorded: a retry of this step, or a NIK another proposal
        // enrolled first. Go one by one so the others still land. A throttle or conflict that
        // outlasts the retries is thrown: nobody in the chunk was written, so nobody is counted.
        if (readWriteFailure(error).kind !== 'condition') throw error;
        for (const p of chunk) await this.enrollOne(p, context);
      }
    });
  }

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

  private async enrollOne(p: Participant, context: { execution?: string }) {
    try {
      await this.audit.transactWithEvents([this.put(p)], [this.enrolled(p, context)]);
    } catch (error) {
      // Only the participant's own condition (item 0) says the person is recorded already.
      const failure = readWriteFailure(error);
      if (failure.kind !== 'condition' || !failure.items.includes(0)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tables.participants,
          Key: { nik: p.nik, programmeId: p.programmeId },
          ConsistentRead: true,
        }),
      );
      if (Item?.proposalId === p.proposalId) return;
      // No once-key: stamped with this instant, a re-run's event is a new one anyway, and looking for
      // the key would read the proposal's whole trail for every person turned away.
      await this.audit.append({
        entity: proposalEntity(p.proposalId),
        action: 'DUPLICATE_ENROLLMENT_PREVENTED',
        actor: 'system:record-participants',
        at: new Date().toISOString(),
        execution: context.execution,
        details: { nik: p.nik, programmeId: p.programmeId, enrolledBy: Item?.proposalId },
      });
    }
  }

  private put(p: Participant) {
    return {
      Put: {
        TableName: this.tables.participants,
        Item: Participant.parse(p),
        ConditionExpression: 'attribute_not_exists(nik)',
      },
    };
  }

  private enrolled(p: Participant, context: { execution?: string }) {
    return {
      event: {
        entity: participantEntity(p.nik, p.programmeId),
        action: 'PARTICIPANT_ENROLLED',
        actor: 'system:record-participants',
        at: p.enrolledAt,
        execution: context.execution,
        to: p.status,
        details: { proposalId: p.proposalId, kpj: p.kpj, villageCode: p.villageCode },
      },
      // Keyed by the proposal: a re-run of the same enrollment cannot append a second event.
      once: `enrolled#${p.proposalId}`,
      // Enrollment is a person's first event in the programme: tried at position 1 without a read
      // (10,000 people in a proposal), and read only if the place is taken.
      newEntity: true,
    };
  }
}
