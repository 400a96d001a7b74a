import {
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { NikClaim, NikHolder, QuotaLedger, QuotaScope } from '../ports/quota-ledger';
import { batchGetAll } from './dynamodb-batch-get';
import { chunks } from './dynamodb-in-flight';
import { isConditionFailure, readWriteFailure, withTransientRetries } from './dynamodb-transactions';

const COUNTER = 'counter';
const reservation = (proposalId: string) => `proposal#${proposalId}`;
const claimKey = (period: string, nik: string) => ({ pk: `nik#${period}#${nik}`, sk: 'claim' });

/**
 * NIK claims go 100 to a request: a consistent BatchGetItem reads who holds them, and one
 * TransactWriteItems of conditional puts (DynamoDB's limit: 100 items) claims the free ones, all
 * or none. A 10,000-row file is 100 reads and 100 writes instead of 10,000 conditional puts; each
 * transactional item costs two write units where a lone put costs one (README, "Scale").
 */
const TRANSACTION_ITEMS = 100;

/**
 * How many of those requests are in flight at once: a 10,000-row file in a few round trips, few
 * enough to stay under throttling. The pool is p-map's (bounded, and it starts no more after the
 * first failure).
 */
const CLAIM_CONCURRENCY = 8;

/** Rounds of read-then-write before giving up: each round only follows someone else's write. */
const MAX_ROUNDS = 10;

const backoff = (round: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** round));

/**
 * Quotas as counters with a conditional update (`reserved <= limit - n`), never read-then-write,
 * so concurrent proposals cannot over-reserve; each proposal's share is its own item, which makes
 * reserving idempotent and releasing exact. NIK claims are conditional puts on the NIK, 100 to a
 * transaction.
 */
export class DynamoDbQuotaLedger implements QuotaLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reserve(quota: QuotaScope, proposalId: string, wanted: number): Promise<number> {
    const mine = await this.share(quota, proposalId);
    if (mine !== undefined) return mine;
    for (let attempt = 0; attempt < 20; attempt++) {
      const taken = await this.reserved(quota);
      const grant = Math.max(0, Math.min(wanted, quota.limit - taken));
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: { pk: quota.key, sk: COUNTER },
                  UpdateExpression: 'SET reserved = if_not_exists(reserved, :zero) + :grant, #limit = :limit',
                  ConditionExpression: 'attribute_not_exists(reserved) OR reserved <= :max',
                  ExpressionAttributeNames: { '#limit': 'limit' },
                  ExpressionAttributeValues: {
                    ':zero': 0,
                    ':grant': grant,
                    ':limit': quota.limit,
                    ':max': quota.limit - grant,
                  },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { pk: quota.key, sk: reservation(proposalId), count: grant, at: new Date().toISOString() },
                  ConditionExpression: 'attribute_not_exists(sk)',
                },
              },
            ],
          }),
        );
        return grant;
      } catch (error) {
        const failure = readWriteFailure(error);
        if (failure.kind === 'other') throw error;
        // A conflict or throttle decided nothing; a failed condition means this proposal reserved
        // meanwhile (a retry) or another took places. Either way: look again.
        if (failure.kind === 'transient') await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
        const now = await this.share(quota, proposalId);
        if (now !== undefined) return now;
      }
    }
    throw new Error(`Could not reserve quota ${quota.key} for ${proposalId}: too much contention`);
  }

  async release(quota: QuotaScope, proposalId: string, count?: number): Promise<void> {
    // Gives back exactly what was asked: a concurrent change of the share (another release) makes
    // the condition fail, and the release is judged again on the share as it now is. A conflict or
    // throttle is retried; neither is ever taken for "already released".
    for (let attempt = 0; attempt < 20; attempt++) {
      const mine = await this.share(quota, proposalId);
      if (!mine || count === 0) return;
      const giveBack = Math.min(mine, count ?? mine);
      try {
        await withTransientRetries(() =>
          this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: this.table,
                    Key: { pk: quota.key, sk: reservation(proposalId) },
                    UpdateExpression: 'SET #count = #count - :n',
                    ConditionExpression: '#count = :mine',
                    ExpressionAttributeNames: { '#count': 'count' },
                    ExpressionAttributeValues: { ':n': giveBack, ':mine': mine },
                  },
                },
                {
                  Update: {
                    TableName: this.table,
                    Key: { pk: quota.key, sk: COUNTER },
                    UpdateExpression: 'SET reserved = reserved - :n',
                    ExpressionAttributeValues: { ':n': giveBack },
                  },
                },
              ],
            }),
          ),
        );
        return;
      } catch (error) {
        // The share changed under us: judge the same release again on the share as it now is.
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`Could not release quota ${quota.key} of ${proposalId}: too much contention`);
  }

  async reserved(quota: QuotaScope): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: quota.key, sk: COUNTER }, ConsistentRead: true }),
    );
    return (Item?.reserved as number | undefined) ?? 0;
  }

  async claim(period: string, holder: Omit<NikHolder, 'row'>, niks: NikClaim[]): Promise<Map<string, NikHolder>> {
    const taken = new Map<string, NikHolder>();
    // A transaction may not name one item twice: a NIK asked for twice is claimed once (the first row).
    const first = new Map<string, NikClaim>();
    for (const c of niks) if (!first.has(c.nik)) first.set(c.nik, c);
    let pending = [...first.values()];
    for (let round = 1; pending.length; round++) {
      if (round > MAX_ROUNDS)
        throw new Error(`Could not claim ${pending.length} NIKs for ${holder.proposalId}: too much contention`);
      if (round > 1) await backoff(round);
      // Who holds each NIK now, read first: only free NIKs are written, so a file whose people another
      // proposal holds costs reads, not cancelled transactions.
      const holders = await this.holders(
        period,
        pending.map((c) => c.nik),
      );
      const free: NikClaim[] = [];
      for (const c of pending) {
        const h = holders.get(c.nik);
        if (!h) free.push(c);
        else if (h.proposalId !== holder.proposalId) taken.set(c.nik, h);
        // Else it is this proposal's already (a retry): nothing to write.
      }
      pending = [];
      await pMap(
        chunks(free, TRANSACTION_ITEMS),
        async (chunk) => {
          const written = await this.writeTogether(
            chunk.map(({ nik, row }) => ({
              Put: {
                TableName: this.table,
                Item: { ...claimKey(period, nik), ...holder, row },
                ConditionExpression: 'attribute_not_exists(pk) OR proposalId = :me',
                ExpressionAttributeValues: { ':me': holder.proposalId },
              },
            })),
          );
          // Someone claimed one of these between the read and the write: the whole transaction was
          // cancelled, and the next round reads them again (that one held, the rest free).
          if (!written) pending.push(...chunk);
        },
        { concurrency: CLAIM_CONCURRENCY },
      );
    }
    return taken;
  }

  async unclaim(period: string, proposalId: string, niks: string[]): Promise<void> {
    let pending = [...new Set(niks)];
    for (let round = 1; pending.length; round++) {
      if (round > MAX_ROUNDS)
        throw new Error(`Could not let go of ${pending.length} NIKs of ${proposalId}: too much contention`);
      if (round > 1) await backoff(round);
      const holders = await this.holders(period, pending);
      // Claims held by others (or by nobody) are left alone.
      const mine = pending.filter((nik) => holders.get(nik)?.proposalId === proposalId);
      pending = [];
      await pMap(
        chunks(mine, TRANSACTION_ITEMS),
        async (chunk) => {
          const written = await this.writeTogether(
            chunk.map((nik) => ({
              Delete: {
                TableName: this.table,
                Key: claimKey(period, nik),
                ConditionExpression: 'proposalId = :me',
                ExpressionAttributeValues: { ':me': proposalId },
              },
            })),
          );
          // A claim let go meanwhile (a release running beside this one) cancels the chunk: read again.
          if (!written) pending.push(...chunk);
        },
        { concurrency: CLAIM_CONCURRENCY },
      );
    }
  }

  /** The current holder of each NIK that has one, read consistently in batches of 100. */
  async holders(period: string, niks: string[]): Promise<Map<string, NikHolder>> {
    const found = new Map<string, NikHolder>();
    await pMap(
      chunks(niks, TRANSACTION_ITEMS),
      async (chunk) => {
        const items = await batchGetAll(
          this.db,
          this.table,
          chunk.map((nik) => claimKey(period, nik)),
          { consistent: true },
        );
        // The claim item holds its holder's fields beside its key, as claim() writes them.
        for (const item of items as (NikHolder & { pk: string })[])
          found.set(item.pk.slice(item.pk.lastIndexOf('#') + 1), {
            proposalId: item.proposalId,
            programmeId: item.programmeId,
            villageCode: item.villageCode,
            fileName: item.fileName,
            row: item.row,
          });
      },
      { concurrency: CLAIM_CONCURRENCY },
    );
    return found;
  }

  /**
   * Writes up to 100 conditional items in one transaction: all or none. Answers false when a
   * condition did not hold (nothing was written); conflicts and throttles are retried here, and
   * after the last retry the error goes up, never taken for a claim someone holds.
   */
  private async writeTogether(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<boolean> {
    try {
      await withTransientRetries(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async share(quota: QuotaScope, proposalId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: quota.key, sk: reservation(proposalId) },
        ConsistentRead: true,
      }),
    );
    return Item?.count as number | undefined;
  }
}
