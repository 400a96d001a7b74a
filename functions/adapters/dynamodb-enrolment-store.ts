import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { enrolmentEntity, proposalEntity } from '../core/audit/audit-event';
import { Coverage } from '../core/contributions/coverage';
import type { Enrolment, EnrolmentOutcome, EnrolmentStore } from '../ports/enrolment-store';
import { DynamoDbAuditLog, type AuditWrite } from './dynamodb-audit-log';
import { batchGetAll } from './dynamodb-batch-get';
import { coverageOpenPut } from './dynamodb-coverage-store';
import { inFlight } from './dynamodb-in-flight';
import { participantPut } from './dynamodb-participant-store';
import { readWriteFailure } from './dynamodb-transactions';

type Tables = { participants: string; coverage: string; audit: string };

/** DynamoDB's limit is 100 items per transaction: two a person (participant, coverage) and the batch's event. */
const PEOPLE_PER_TRANSACTION = 49;
/** Times a batch is read again and written after a write found someone recorded meanwhile (a racing re-run). */
const REPAIR_ATTEMPTS = 3;
const ACTOR = 'system:record-participants';

class EnrolmentRaceError extends Error {
  constructor(entity: string) {
    super(`Enrolment batch ${entity} kept being changed under ${REPAIR_ATTEMPTS} attempts`);
    this.name = 'EnrolmentRaceError';
  }
}

/**
 * Enrolment in DynamoDB (functions/ports/enrolment-store.ts): 49 people to a transaction, each
 * person's participant and coverage put on the condition that neither exists, with one event on the
 * batch's own entity, tried as that entity's first event without reading anything (a new entity).
 * So the trail still holds every person's enrolment in the same write as the person (never an item
 * without its event), at two transactional items a person, where it was four and a Query.
 *
 * A transaction cancelled by a condition (someone in the batch recorded already: a re-run after a
 * pause or a crash, or a NIK another proposal holds) reads the batch's participants and coverages
 * (consistent batch reads) and writes only who is missing, with an event naming only them, on the
 * same entity after its end. A participant of another proposal is left alone and an event on this
 * proposal's trail says so (DUPLICATE_ENROLLMENT_PREVENTED), as before.
 */
export class DynamoDbEnrolmentStore implements EnrolmentStore {
  private readonly audit: DynamoDbAuditLog;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {
    this.audit = new DynamoDbAuditLog(db, tables.audit);
  }

  async record(
    enrolments: readonly Enrolment[],
    context: { proposalId: string; first: number; execution?: string },
  ): Promise<EnrolmentOutcome> {
    const outcome: EnrolmentOutcome = { recorded: 0, existed: 0, heldElsewhere: 0 };
    for (const e of enrolments)
      if (e.participant.proposalId !== context.proposalId)
        throw new Error(`An enrolment of proposal ${context.proposalId} holds a person of ${e.participant.proposalId}`);
    const numbered = enrolments.map((e, i) => ({ ...e, index: context.first + i }));
    await inFlight(numbered, PEOPLE_PER_TRANSACTION, async (batch) => {
      const entity = enrolmentEntity(context.proposalId, batch[0]!.index);
      const people = batch.map((e) => withRecord(e, entity));
      try {
        await this.write(people, entity, context, true);
        outcome.recorded += people.length;
      } catch (error) {
        if (readWriteFailure(error).kind !== 'condition') throw error;
        const repaired = await this.repair(people, entity, context);
        outcome.recorded += repaired.recorded;
        outcome.existed += repaired.existed;
        outcome.heldElsewhere += repaired.heldElsewhere;
      }
    });
    return outcome;
  }

  /** The batch again, as it stands: who is recorded by this proposal, who by another, and the rest written. */
  private async repair(
    people: readonly Enrolment[],
    entity: string,
    context: { proposalId: string; execution?: string },
  ): Promise<EnrolmentOutcome> {
    const keys = people.map(({ participant: p }) => ({ nik: p.nik, programmeId: p.programmeId }));
    for (let attempt = 1; attempt <= REPAIR_ATTEMPTS; attempt++) {
      const [participants, coverages] = await Promise.all([
        batchGetAll(this.db, this.tables.participants, keys, { consistent: true }),
        batchGetAll(this.db, this.tables.coverage, keys, { consistent: true }),
      ]);
      const recordedBy = new Map(participants.map((i) => [String(i.nik), String(i.proposalId)]));
      const covered = new Set(coverages.map((i) => String(i.nik)));
      const elsewhere = people.filter(({ participant: p }) => (recordedBy.get(p.nik) ?? p.proposalId) !== p.proposalId);
      // A coverage with no participant (opened by hand, before enrolment) is left as it is.
      const missing = people.filter(({ participant: p }) => !recordedBy.has(p.nik));
      try {
        if (missing.length) await this.write(missing, entity, context, false, covered);
      } catch (error) {
        if (readWriteFailure(error).kind !== 'condition') throw error;
        // Someone recorded one of them between the read and the write (a racing run): read again.
        continue;
      }
      // Told once the batch is settled, so a retried attempt does not say it twice.
      for (const { participant: p } of elsewhere)
        // No once-key: stamped with this instant, a re-run's event is a new one anyway, and looking for
        // the key would read the proposal's whole trail for every person turned away.
        await this.audit.append({
          entity: proposalEntity(p.proposalId),
          action: 'DUPLICATE_ENROLLMENT_PREVENTED',
          actor: ACTOR,
          at: new Date().toISOString(),
          execution: context.execution,
          details: { nik: p.nik, programmeId: p.programmeId, enrolledBy: recordedBy.get(p.nik) },
        });
      return {
        recorded: missing.length,
        existed: people.length - missing.length - elsewhere.length,
        heldElsewhere: elsewhere.length,
      };
    }
    throw new EnrolmentRaceError(entity);
  }

  private async write(
    people: readonly Enrolment[],
    entity: string,
    context: { execution?: string },
    newEntity: boolean,
    covered: ReadonlySet<string> = new Set(),
  ) {
    await this.audit.transactWithEvents(
      [
        ...people.map(({ participant }) => participantPut(this.tables.participants, participant)),
        ...people
          .filter(({ coverage }) => !covered.has(coverage.nik))
          .map(({ coverage }) => coverageOpenPut(this.tables.coverage, Coverage.parse(coverage))),
      ],
      [enrolled(people, entity, context, newEntity)],
    );
  }
}

/** The participant as stored: naming the entity whose event records their enrolment. */
const withRecord = (e: Enrolment, entity: string): Enrolment => ({
  participant: { ...e.participant, enrolment: entity },
  coverage: e.coverage,
});

/**
 * One event for a batch: what the people share once (proposal, programme, village, period), and each
 * person's NIK and KPJ, the NIK whole as a participant's own trail is keyed by it (the timeline masks it).
 */
function enrolled(
  people: readonly Enrolment[],
  entity: string,
  context: { execution?: string },
  newEntity: boolean,
): AuditWrite {
  const { participant: first } = people[0]!;
  for (const { participant: p } of people)
    if (
      p.programmeId !== first.programmeId ||
      p.villageCode !== first.villageCode ||
      p.coverageStart !== first.coverageStart ||
      p.coverageEnd !== first.coverageEnd
    )
      throw new Error(`One enrolment batch mixes programmes, villages or periods (${entity})`);
  return {
    event: {
      entity,
      action: 'PARTICIPANTS_ENROLLED',
      actor: ACTOR,
      at: first.enrolledAt,
      execution: context.execution,
      to: 'ACTIVE',
      details: {
        proposalId: first.proposalId,
        programmeId: first.programmeId,
        villageCode: first.villageCode,
        start: first.coverageStart,
        end: first.coverageEnd,
        people: people.map(({ participant: p }) => ({ nik: p.nik, kpj: p.kpj })),
      },
    },
    newEntity,
  };
}
