import {
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Claim, type Payout } from '../core/claims/claim';
import { monthOf, type CalendarMonth } from '../core/contributions/calendar';
import { maskNik } from '../core/privacy/mask';
import {
  ClaimNotFoundError,
  ClaimStatusConflictError,
  ClaimVersionConflictError,
  DeathAlreadyClaimedError,
  holdsDeathClaim,
  type ClaimAudit,
  type ClaimChange,
  type ClaimStore,
  type PaidTotal,
  type StoredClaim,
} from '../ports/claim-store';
import type { Page } from '../ports/coverage-store';
import { DynamoDbAuditLog, type AuditWrite } from './dynamodb-audit-log';
import { batchGetAll } from './dynamodb-batch-get';
import { decodeCursor, encodeCursor } from './dynamodb-cursor';
import { queryAll } from './dynamodb-pages';
import { readWriteFailure, withTransientRetries } from './dynamodb-transactions';
import { CLAIM_INDEXES } from './table-design';

type Item = Record<string, unknown>;
type Tables = { claims: string; audit: string };
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Re-reads after a lost race before giving up; claims change a few times in their life, rarely at once. */
const CONFLICT_ATTEMPTS = 5;

/** The claim's entity in the audit trail. */
export const claimEntity = (claimId: string) => `claim#${claimId}`;

/*
 * Key design: one table, partition key `pk` alone, three kinds of item.
 *
 * - `claim#<id>`: the claim (the Claim schema), its `version` (every change is conditional on the one
 *   read) and the index keys computed here, which the domain never sees:
 *     `nik` + `filedSort` (`<filedAt>#<id>`)   -> index `byParticipant`, a person's claims;
 *     `programmeVillage` + `filedSort`         -> index `byProgrammeVillage`, a village's page;
 *     `programmeId` + `filedSort`              -> index `byProgramme`, Dinas Sosial's page.
 *   The three are keys only: a page reads the claims themselves by key (BatchGetItem), current and
 *   whole, and a change of status or documents, which moves no key, costs the indexes nothing.
 * - `death#<nik>`: the person's death is claimed, by `claimId`, since `since`. Put in the same
 *   transaction as the claim that takes it, on the condition that no other claim holds it, so of two
 *   death claims filed at the same instant (or a JKK claim turned into a death while another stands)
 *   exactly one commits; the index above lags and could not decide that. A claim that ends REFUSED,
 *   REJECTED or REFUSED_BY_BPJS sets `releasedAt` in the transaction that ends it (an update, not a
 *   delete: the functions may change items, never remove them), and the next death claim overwrites it.
 * - `payout#<claimId>#<bankReference>`: one transfer to an heir, put with the change that records it:
 *   `paidProgramme` + `paidSort` (`<paidOn>#<claimId>#<bankReference>`) -> index `paid`, which only
 *   these items have, carrying `amount`, `claimId` and `claimType`. A month's totals are one Query on
 *   the programme, its sort key starting with the month; the claims and guards are never read.
 */
const claimKey = (id: string) => ({ pk: `claim#${id}` });
const deathKey = (nik: string) => ({ pk: `death#${nik}` });
const payoutKey = (claimId: string, bankReference: string) => ({ pk: `payout#${claimId}#${bankReference}` });

function toItem(c: Claim, version: number): Item {
  return {
    ...c,
    ...claimKey(c.id),
    version,
    programmeVillage: `${c.programmeId}#${c.villageCode}`,
    filedSort: `${c.filedAt}#${c.id}`,
  };
}

/** The schema strips what is not the domain's (key, index keys); the version goes beside it. */
const fromItem = (item: Item): StoredClaim => ({ ...Claim.parse(item), version: Number(item.version) });

/**
 * Claims in DynamoDB (key design above). Filing is a put on the condition that the id is new (the
 * idempotency key); every change after that is a put conditional on the version read, with its audit
 * event, the person's death guard and any new payout in the same transaction, so the trail, the
 * one-death-claim rule and the monthly totals can never disagree with the claim.
 */
export class DynamoDbClaimStore implements ClaimStore {
  private readonly audit: DynamoDbAuditLog;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {
    this.audit = new DynamoDbAuditLog(db, tables.audit);
  }

  async create(claim: Claim, audit: ClaimAudit) {
    const c = Claim.parse(claim);
    const { at, ...event } = audit;
    const holds = holdsDeathClaim(c);
    const items: TransactItem[] = [
      { Put: { TableName: this.tables.claims, Item: toItem(c, 1), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(holds ? [this.takeDeath(c, c.filedAt)] : []),
      ...c.payouts.map((p) => this.payoutItem(c, p)),
    ];
    // A claim's trail starts at its filing.
    const filed: AuditWrite = {
      event: { ...event, entity: claimEntity(c.id), at: at ?? c.filedAt, to: c.status },
      once: 'filed',
      newEntity: true,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.audit.transactWithEvents(items, [filed]);
        return 'created' as const;
      } catch (error) {
        const failure = readWriteFailure(error);
        if (failure.kind !== 'condition') throw error;
        // The claim's own condition: filed before, whatever else failed with it.
        if (failure.items.includes(0)) return 'exists' as const;
        if (!holds || !failure.items.includes(1)) throw error;
        const holder = await this.deathHolder(c.nik);
        // Released between the write and this read: the person's death is free again, try once more.
        if (holder !== undefined || attempt >= CONFLICT_ATTEMPTS) throw this.deathClaimed(c.nik, holder);
      }
    }
  }

  async get(id: string) {
    const item = await this.read(id);
    return item && fromItem(item);
  }

  async change(id: string, change: ClaimChange) {
    for (let attempt = 1; ; attempt++) {
      const item = await this.read(id);
      if (!item) throw new ClaimNotFoundError(id);
      const current = fromItem(item);
      if (change.from && !change.from.includes(current.status))
        throw new ClaimStatusConflictError(id, current.status, change.from);
      if (change.expectedVersion !== undefined && change.expectedVersion !== current.version)
        throw new ClaimVersionConflictError(id, change.expectedVersion, current.version);
      const written = await this.write(current, change);
      if (written) return written;
      // Someone wrote in between. A change based on a version the caller saw loses at once; one
      // based on a status reads again, and meets the status check above if the other writer moved it.
      if (change.expectedVersion !== undefined || attempt >= CONFLICT_ATTEMPTS) {
        const latest = await this.read(id);
        throw new ClaimVersionConflictError(id, current.version, Number(latest?.version ?? current.version));
      }
    }
  }

  async byParticipant(nik: string) {
    const keys = await queryAll(this.db, {
      TableName: this.tables.claims,
      IndexName: CLAIM_INDEXES.byParticipant,
      KeyConditionExpression: 'nik = :n',
      ExpressionAttributeValues: { ':n': nik },
      ScanIndexForward: false,
    });
    // The index finds the claims; a consistent read gives each one's status now.
    const items = await batchGetAll(
      this.db,
      this.tables.claims,
      keys.map((k) => ({ pk: String(k.pk) })),
      { consistent: true },
    );
    return items.map(fromItem);
  }

  byVillage(programmeId: string, villageCode: string, page: { limit: number; cursor?: string }) {
    return this.newestFirst(
      CLAIM_INDEXES.byProgrammeVillage,
      'programmeVillage',
      `${programmeId}#${villageCode}`,
      page,
    );
  }

  byProgramme(programmeId: string, page: { limit: number; cursor?: string }) {
    return this.newestFirst(CLAIM_INDEXES.byProgramme, 'programmeId', programmeId, page);
  }

  async paidTotals(programmeId: string, month?: CalendarMonth) {
    const entries = await queryAll(this.db, {
      TableName: this.tables.claims,
      IndexName: CLAIM_INDEXES.paid,
      KeyConditionExpression: `paidProgramme = :p${month ? ' AND begins_with(paidSort, :m)' : ''}`,
      ExpressionAttributeValues: { ':p': programmeId, ...(month && { ':m': `${month}-` }) },
    });
    const totals = new Map<CalendarMonth, PaidTotal & { claimIds: Set<string> }>();
    // The index is in paidSort order, so the months come oldest first.
    for (const e of entries) {
      const m = monthOf(String(e.paidSort).slice(0, 10));
      const t = totals.get(m) ?? { month: m, amount: 0, payouts: 0, claims: 0, byType: {}, claimIds: new Set() };
      const amount = Number(e.amount);
      const type = String(e.claimType) as Claim['type'];
      t.amount += amount;
      t.payouts += 1;
      t.claimIds.add(String(e.claimId));
      t.byType[type] = (t.byType[type] ?? 0) + amount;
      totals.set(m, t);
    }
    return [...totals.values()].map(({ claimIds, ...t }) => ({ ...t, claims: claimIds.size }));
  }

  /** A page of keys from an index, newest filing first, then the claims themselves by key. */
  private async newestFirst(
    indexName: string,
    keyName: string,
    keyValue: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredClaim>> {
    const answer = await this.db.send(
      new QueryCommand({
        TableName: this.tables.claims,
        IndexName: indexName,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': keyName },
        ExpressionAttributeValues: { ':k': keyValue },
        ScanIndexForward: false,
        Limit: page.limit,
        // A cursor from another village's or programme's list must not page through this one.
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, { [keyName]: keyValue }) : undefined,
      }),
    );
    const keys = (answer.Items ?? []).map((i) => ({ pk: String(i.pk) }));
    const items = (await batchGetAll(this.db, this.tables.claims, keys)).map(fromItem);
    return { items, ...(answer.LastEvaluatedKey && { cursor: encodeCursor(answer.LastEvaluatedKey) }) };
  }

  private async read(id: string) {
    const { Item } = await withTransientRetries(() =>
      this.db.send(new GetCommand({ TableName: this.tables.claims, Key: claimKey(id), ConsistentRead: true })),
    );
    return Item;
  }

  /** `change.next` of the claim read, conditional on its version; undefined when someone wrote in between. */
  private async write(current: StoredClaim, change: ClaimChange): Promise<StoredClaim | undefined> {
    const { version, ...claim } = current;
    const draft = structuredClone(claim);
    const proposed = change.next(draft);
    if (proposed === draft) return current;
    const { at = new Date().toISOString(), ...event } = change.audit;
    // Stamped with the change's instant, so the claim and its event agree on when.
    const changed = Claim.parse({ ...proposed, updatedAt: at });
    if (changed.id !== claim.id || changed.nik !== claim.nik)
      throw new Error(
        `A claim change may not change which claim, or whose, it is (${claim.id}, ${maskNik(claim.nik)})`,
      );
    const kept = new Set(changed.payouts.map((p) => p.bankReference));
    if (claim.payouts.some((p) => !kept.has(p.bankReference)))
      throw new Error(`A claim change may not remove a recorded payout (${claim.id})`);
    const known = new Set(claim.payouts.map((p) => p.bankReference));

    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tables.claims,
          Item: toItem(changed, version + 1),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': version },
        },
      },
    ];
    const before = holdsDeathClaim(claim);
    const after = holdsDeathClaim(changed);
    const takes = !before && after ? items.push(this.takeDeath(changed, at)) - 1 : undefined;
    if (before && !after) items.push(this.releaseDeath(changed, at));
    items.push(...changed.payouts.filter((p) => !known.has(p.bankReference)).map((p) => this.payoutItem(changed, p)));
    const moved = changed.status !== claim.status && { from: claim.status, to: changed.status };
    // Keyed by the version it wrote: one event per version, however often the transaction is sent.
    const recorded = { event: { ...event, entity: claimEntity(claim.id), at, ...moved }, once: `v${version + 1}` };

    try {
      await this.audit.transactWithEvents(items, [recorded]);
      return { ...changed, version: version + 1 };
    } catch (error) {
      const failure = readWriteFailure(error);
      if (failure.kind !== 'condition') throw error;
      if (failure.items.includes(0)) return undefined;
      if (takes !== undefined && failure.items.includes(takes))
        throw this.deathClaimed(changed.nik, await this.deathHolder(changed.nik));
      throw error;
    }
  }

  /** The person's death claimed by `c`: refused while another claim holds it (the same claim may take it again). */
  private takeDeath(c: Claim, at: string): TransactItem {
    return {
      Put: {
        TableName: this.tables.claims,
        Item: { ...deathKey(c.nik), claimId: c.id, since: at },
        ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(releasedAt) OR claimId = :id',
        ExpressionAttributeValues: { ':id': c.id },
      },
    };
  }

  /** Frees the person's death for another claim; only the claim holding it may. */
  private releaseDeath(c: Claim, at: string): TransactItem {
    return {
      Update: {
        TableName: this.tables.claims,
        Key: deathKey(c.nik),
        UpdateExpression: 'SET releasedAt = :at',
        ConditionExpression: 'claimId = :id',
        ExpressionAttributeValues: { ':at': at, ':id': c.id },
      },
    };
  }

  private payoutItem(c: Claim, p: Payout): TransactItem {
    return {
      Put: {
        TableName: this.tables.claims,
        Item: {
          ...payoutKey(c.id, p.bankReference),
          claimId: c.id,
          claimType: c.type,
          paidProgramme: c.programmeId,
          paidSort: `${p.paidOn}#${c.id}#${p.bankReference}`,
          amount: p.amount,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The claim holding the person's death now, if any. */
  private async deathHolder(nik: string): Promise<string | undefined> {
    const { Item } = await withTransientRetries(() =>
      this.db.send(new GetCommand({ TableName: this.tables.claims, Key: deathKey(nik), ConsistentRead: true })),
    );
    return Item && Item.releasedAt === undefined ? String(Item.claimId) : undefined;
  }

  private deathClaimed(nik: string, holder: string | undefined) {
    return new DeathAlreadyClaimedError(maskNik(nik), holder ?? 'unknown');
  }
}
