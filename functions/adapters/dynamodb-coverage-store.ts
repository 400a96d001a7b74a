import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { participantEntity } from '../core/audit/audit-event';
import { addMonths, firstDayOf, type CalendarMonth } from '../core/contributions/calendar';
import {
  BILLABLE_STATUSES,
  Coverage,
  type BillableCoverage,
  type CoverageChange,
} from '../core/contributions/coverage';
import { maskNik } from '../core/privacy/mask';
import { billableShard, CoverageNotFoundError, type CoverageStore, type Page } from '../ports/coverage-store';
import { DynamoDbAuditLog, type AuditWrite } from './dynamodb-audit-log';
import { inFlight } from './dynamodb-in-flight';
import { batchGetAll } from './dynamodb-batch-get';
import { decodeCursor, encodeCursor } from './dynamodb-cursor';
import { queryAll } from './dynamodb-pages';
import { readWriteFailure, withTransientRetries } from './dynamodb-transactions';
import { COVERAGE_INDEXES } from './table-design';

type Item = Record<string, unknown>;
type Tables = { coverage: string; audit: string };

/** Coverages opened in one transaction: each is two items (itself and its audit event), 100 the limit. */
const COVERAGES_PER_TRANSACTION = 50;
/** Writes in flight at once for a batch of updates: quick for 100,000, under the throttle (as the quota ledger). */
const UPDATE_CONCURRENCY = 16;
/** Re-reads after a lost race before giving up; each loser re-applies a pure transition, so few are needed. */
const CONFLICT_ATTEMPTS = 10;
const ACTOR = 'system:contributions';

export class CoverageUpdateConflictError extends Error {
  constructor(programmeId: string, maskedNik: string) {
    super(`Coverage of ${maskedNik} in ${programmeId} kept changing under ${CONFLICT_ATTEMPTS} attempts to update it`);
    this.name = 'CoverageUpdateConflictError';
  }
}

/**
 * The stored item: the Coverage schema, its `version` (the optimistic lock every write is conditional
 * on) and the index keys computed here, never seen by the domain (functions/core/contributions/README.md):
 * - `programmeVillage` for the village pages (index `byProgrammeVillage`, sorted by NIK);
 * - `billable` = `<programmeId>#<shard>` and `billableSort` = `<start>#<nik>`, only while the status is
 *   billable (ACTIVE, ARREARS): the index is sparse, so a lapsed, ended or deceased participant is not
 *   read when a month is billed. The item is written whole, so leaving them out removes them.
 */
function toItem(c: Coverage, version: number): Item {
  const billable = BILLABLE_STATUSES.includes(c.status) && {
    billable: `${c.programmeId}#${billableShard(c.nik)}`,
    billableSort: `${c.start}#${c.nik}`,
  };
  return { ...c, version, programmeVillage: `${c.programmeId}#${c.villageCode}`, ...billable };
}

/** The schema strips what is not the domain's: version and index keys. */
const fromItem = (item: Item): Coverage => Coverage.parse(item);
const versionOf = (item: Item) => Number(item.version ?? 0);

/**
 * Participants' coverage in DynamoDB, one item per NIK and programme. Every write is conditional:
 * opening on the item not existing, every change on the version read, so two events applied to one
 * coverage at once (a payment confirmed while the due-date check runs) both land, the loser
 * re-reading and re-applying its pure transition. A change of status is written in one transaction
 * with its audit event, so the trail has every status a coverage was in and why; a month billed or
 * paid without a change of status is a single conditional put (the coverage keeps its own ledger).
 */
export class DynamoDbCoverageStore implements CoverageStore {
  private readonly audit: DynamoDbAuditLog;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {
    this.audit = new DynamoDbAuditLog(db, tables.audit);
  }

  async get(programmeId: string, nik: string) {
    const item = await this.read(programmeId, nik);
    return item && fromItem(item);
  }

  async byNik(nik: string) {
    const items = await queryAll(this.db, {
      TableName: this.tables.coverage,
      KeyConditionExpression: 'nik = :n',
      ExpressionAttributeValues: { ':n': nik },
    });
    return items.map(fromItem);
  }

  /**
   * A page of the village's NIKs from the index (keys only, so billing and paying months cost it no
   * write), then the records themselves by key in one batch read: current, and whole.
   */
  async byVillage(programmeId: string, villageCode: string, page: { limit: number; cursor?: string }) {
    const programmeVillage = `${programmeId}#${villageCode}`;
    const answer = await this.db.send(
      new QueryCommand({
        TableName: this.tables.coverage,
        IndexName: COVERAGE_INDEXES.byProgrammeVillage,
        KeyConditionExpression: 'programmeVillage = :pv',
        ExpressionAttributeValues: { ':pv': programmeVillage },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, { programmeVillage }) : undefined,
      }),
    );
    const keys = (answer.Items ?? []).map((i) => ({ nik: String(i.nik), programmeId }));
    const items = await batchGetAll(this.db, this.tables.coverage, keys);
    return withCursor(items.map(fromItem), answer.LastEvaluatedKey);
  }

  /** Reads the many records an event reaches (a bill's participants), 100 keys to a request. */
  async getMany(programmeId: string, niks: readonly string[]): Promise<Coverage[]> {
    const items = await batchGetAll(
      this.db,
      this.tables.coverage,
      niks.map((nik) => ({ nik, programmeId })),
      { consistent: true },
    );
    return items.map(fromItem);
  }

  /**
   * One shard of the sparse `billable` index: coverages that started before the month after `month`
   * (key condition) and had not ended before `month` began (filter), ACTIVE or ARREARS by the index's
   * sparseness. A Query on one partition key, never a scan; DynamoDB's own 1 MB pages.
   */
  async billable(programmeId: string, month: CalendarMonth, shard: number, cursor?: string) {
    const billable = `${programmeId}#${shard}`;
    const answer = await this.db.send(
      new QueryCommand({
        TableName: this.tables.coverage,
        IndexName: COVERAGE_INDEXES.billable,
        KeyConditionExpression: 'billable = :b AND billableSort < :nextMonth',
        FilterExpression: '#end >= :firstDay',
        ExpressionAttributeNames: { '#end': 'end' },
        ExpressionAttributeValues: {
          ':b': billable,
          ':nextMonth': firstDayOf(addMonths(month, 1)),
          ':firstDay': firstDayOf(month),
        },
        ExclusiveStartKey: cursor ? decodeCursor(cursor, { billable }) : undefined,
      }),
    );
    const items: BillableCoverage[] = (answer.Items ?? []).map((i) => ({
      programmeId: String(i.programmeId),
      nik: String(i.nik),
      villageCode: String(i.villageCode),
      start: String(i.start),
      end: String(i.end),
    }));
    return withCursor(items, answer.LastEvaluatedKey);
  }

  async create(coverage: Coverage) {
    const c = Coverage.parse(coverage);
    try {
      await this.audit.transactWithEvents([this.openPut(c)], [this.opened(c)]);
      return 'created' as const;
    } catch (error) {
      // Only the coverage's own condition (item 0) says it exists; its event is keyed once per opening.
      const failure = readWriteFailure(error);
      if (failure.kind === 'condition' && failure.items.includes(0)) return 'exists' as const;
      throw error;
    }
  }

  /**
   * Opens many coverages (an enrolment of thousands), 50 to a transaction with their events; a
   * transaction in which someone exists already (a re-run) is done again one by one, so the others land.
   */
  async createMany(coverages: readonly Coverage[]): Promise<{ created: number; existed: number }> {
    let created = 0;
    let existed = 0;
    await inFlight(coverages, COVERAGES_PER_TRANSACTION, async (unchecked) => {
      const chunk = unchecked.map((c) => Coverage.parse(c));
      try {
        await this.audit.transactWithEvents(
          chunk.map((c) => this.openPut(c)),
          chunk.map((c) => this.opened(c)),
        );
        created += chunk.length;
      } catch (error) {
        if (readWriteFailure(error).kind !== 'condition') throw error;
        for (const c of chunk) {
          if ((await this.create(c)) === 'created') created += 1;
          else existed += 1;
        }
      }
    });
    return { created, existed };
  }

  async update(programmeId: string, nik: string, next: (current: Coverage) => Coverage) {
    for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
      const item = await this.read(programmeId, nik);
      if (!item) throw new CoverageNotFoundError(programmeId, maskNik(nik));
      const written = await this.write(item, next);
      if (written) return written;
    }
    throw new CoverageUpdateConflictError(programmeId, maskNik(nik));
  }

  /**
   * The same change for many participants of a programme (an event over a bill's list): one batch read
   * per 100, then each write conditional on what was read, 16 in flight; one that lost a race goes
   * through `update` (read again, apply again). NIKs with no coverage come back in `missing`.
   */
  async updateMany(
    programmeId: string,
    niks: readonly string[],
    next: (current: Coverage) => Coverage,
  ): Promise<{ updated: Coverage[]; missing: string[] }> {
    const items = await batchGetAll(
      this.db,
      this.tables.coverage,
      niks.map((nik) => ({ nik, programmeId })),
      { consistent: true },
    );
    const found = new Set(items.map((i) => String(i.nik)));
    const updated = await pMap(
      items,
      async (item) => (await this.write(item, next)) ?? this.update(programmeId, String(item.nik), next),
      { concurrency: UPDATE_CONCURRENCY },
    );
    return { updated, missing: niks.filter((n) => !found.has(n)) };
  }

  private async read(programmeId: string, nik: string) {
    const { Item } = await withTransientRetries(() =>
      this.db.send(
        new GetCommand({ TableName: this.tables.coverage, Key: { nik, programmeId }, ConsistentRead: true }),
      ),
    );
    return Item;
  }

  /**
   * Writes `next` of what was read, on the condition that the version is still the one read. Returns
   * what is stored, or undefined when someone wrote in between (the caller reads again). A transition
   * that changes nothing (an event applied twice) writes nothing.
   */
  private async write(item: Item, next: (current: Coverage) => Coverage): Promise<Coverage | undefined> {
    const current = fromItem(item);
    const version = versionOf(item);
    const draft = structuredClone(current);
    const proposed = next(draft);
    if (proposed === draft) return current;
    const changed = Coverage.parse(proposed);
    if (changed.nik !== current.nik || changed.programmeId !== current.programmeId) {
      throw new Error(`A coverage update may not change whose coverage it is (${maskNik(current.nik)})`);
    }
    const put = {
      TableName: this.tables.coverage,
      Item: toItem(changed, version + 1),
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': version },
    };
    // History only grows; what is new in it is what changed status, each entry one audit event.
    const changes = changed.history.slice(current.history.length);
    try {
      if (changes.length === 0) await withTransientRetries(() => this.db.send(new PutCommand(put)));
      else
        await this.audit.transactWithEvents(
          [{ Put: put }],
          changes.map((change) => this.statusChanged(changed, change)),
        );
      return changed;
    } catch (error) {
      if (readWriteFailure(error).kind === 'condition') return undefined;
      throw error;
    }
  }

  private openPut(c: Coverage) {
    return coverageOpenPut(this.tables.coverage, c);
  }

  /** On the participant's trail, after their enrollment: the end of the chain is read for it. */
  private opened(c: Coverage): AuditWrite {
    return {
      event: {
        entity: participantEntity(c.nik, c.programmeId),
        action: 'COVERAGE_OPENED',
        actor: ACTOR,
        at: c.history[0]!.at,
        to: c.status,
        details: { villageCode: c.villageCode, kpj: c.kpj, start: c.start, end: c.end },
      },
      once: 'coverage-opened',
    };
  }

  private statusChanged(c: Coverage, change: CoverageChange): AuditWrite {
    return {
      event: {
        entity: participantEntity(c.nik, c.programmeId),
        action: 'COVERAGE_STATUS_CHANGED',
        actor: ACTOR,
        at: change.at,
        from: change.from,
        to: change.to,
        details: {
          reason: change.reason,
          months: change.months,
          note: change.note,
          ...(change.continuousMonthsLost !== undefined && { continuousMonthsLost: change.continuousMonthsLost }),
        },
      },
      // A status is entered once at one instant: a retried transaction cannot write its event twice.
      once: `coverage#${change.to}`,
    };
  }
}

/** A new coverage's put, on the condition that the participant has none in the programme (also enrolment's). */
export function coverageOpenPut(table: string, c: Coverage) {
  return { Put: { TableName: table, Item: toItem(c, 1), ConditionExpression: 'attribute_not_exists(nik)' } };
}

function withCursor<T>(items: T[], lastKey: Item | undefined): Page<T> {
  return { items, ...(lastKey && { cursor: encodeCursor(lastKey) }) };
}
