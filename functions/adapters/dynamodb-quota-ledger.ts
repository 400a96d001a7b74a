import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { NikClaim, NikHolder, QuotaLedger, QuotaScope } from '../ports/quota-ledger';
import { readWriteFailure, withTransientRetries } from './dynamodb-transactions';

const COUNTER = 'counter';
const reservation = (proposalId: string) => `proposal#${proposalId}`;
const claimKey = (period: string, nik: string) => ({ pk: `nik#${period}#${nik}`, sk: 'claim' });

/**
 * How many claims go to DynamoDB at once; enough to keep a 10,000-row file quick, few enough to stay
 * under throttling. The pool is p-map's (bounded, and it starts no more after the first failure)
 * rather than one written by hand for each method.
 */
const CLAIM_CONCURRENCY = 16;

const isConditionFailure = (error: unknown) => readWriteFailure(error).kind === 'condition';

/**
 * Quotas as counters with a conditional update (`reserved <= limit - n`), never read-then-write,
 * so concurrent proposals cannot over-reserve; each proposal's share is its own item, which makes
 * reserving idempotent and releasing exact. NIK claims are conditional puts on the NIK.
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
    await pMap(
      niks,
      async ({ nik, row }) => {
        try {
          await withTransientRetries(() =>
            this.db.send(
              new PutCommand({
                TableName: this.table,
                Item: { ...claimKey(period, nik), ...holder, row },
                ConditionExpression: 'attribute_not_exists(pk) OR proposalId = :me',
                ExpressionAttributeValues: { ':me': holder.proposalId },
              }),
            ),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          const { Item } = await this.db.send(
            new GetCommand({ TableName: this.table, Key: claimKey(period, nik), ConsistentRead: true }),
          );
          // The claim item holds its holder's fields beside its key, as written above.
          const holder = Item as NikHolder | undefined;
          if (holder)
            taken.set(nik, {
              proposalId: holder.proposalId,
              programmeId: holder.programmeId,
              villageCode: holder.villageCode,
              fileName: holder.fileName,
              row: holder.row,
            });
        }
      },
      { concurrency: CLAIM_CONCURRENCY },
    );
    return taken;
  }

  async unclaim(period: string, proposalId: string, niks: string[]): Promise<void> {
    await pMap(
      niks,
      async (nik) => {
        try {
          await withTransientRetries(() =>
            this.db.send(
              new DeleteCommand({
                TableName: this.table,
                Key: claimKey(period, nik),
                ConditionExpression: 'proposalId = :me',
                ExpressionAttributeValues: { ':me': proposalId },
              }),
            ),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      },
      { concurrency: CLAIM_CONCURRENCY },
    );
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
