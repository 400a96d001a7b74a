import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { proposalEntity, type AuditEvent } from '../core/audit/audit-event';
import { compareUploads, FINAL_STATUSES, Proposal } from '../core/proposals/proposal';
import {
  ProposalNotFoundError,
  ProposalStatusConflictError,
  type ProposalChange,
  type ProposalStore,
} from '../ports/proposal-store';
import { DynamoDbAuditLog } from './dynamodb-audit-log';
import { isConditionFailure } from './dynamodb-transactions';
import { queryAll, scanAll } from './dynamodb-pages';
import { PROPOSAL_INDEXES } from './table-design';

type Tables = { proposals: string; audit: string };
type AuditInput = Omit<AuditEvent, 'entity' | 'at'>;

/**
 * Proposals in DynamoDB. Every change goes in one transaction with its audit event, chained onto the
 * proposal's trail by the audit log (DynamoDbAuditLog.transactWithEvents), so the history can never
 * miss a state the proposal was in. The trail is read through the AuditLog.
 */
export class DynamoDbProposalStore implements ProposalStore {
  private readonly audit: DynamoDbAuditLog;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {
    this.audit = new DynamoDbAuditLog(db, tables.audit);
  }

  async get(id: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.proposals, Key: { id }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async findByUploadKey(uploadKey: string) {
    const found = await this.newestFirst(PROPOSAL_INDEXES.byUploadKey, 'uploadKey', uploadKey);
    // The index finds the ids; a consistent read gives each proposal's current status (indexes lag).
    const proposals = await Promise.all(found.map((i) => this.get(i.id as string))).then((ps) =>
      ps.filter((p): p is Proposal => !!p),
    );
    return byNewestUpload(proposals);
  }

  async findByProgrammeVillage(programmeId: string, villageCode: string) {
    return byNewestUpload(
      (
        await this.newestFirst(PROPOSAL_INDEXES.byProgrammeVillage, 'programmeVillage', `${programmeId}#${villageCode}`)
      ).map(fromItem),
    );
  }

  private newestFirst(indexName: string, key: string, value: string) {
    return queryAll(this.db, {
      TableName: this.tables.proposals,
      IndexName: indexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':k': value },
      ScanIndexForward: false,
    });
  }

  async create(proposal: Proposal, audit: AuditInput) {
    try {
      await this.audit.transactWithEvents(
        [
          {
            Put: {
              TableName: this.tables.proposals,
              Item: { ...proposal, programmeVillage: `${proposal.programmeId}#${proposal.villageCode}` },
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
        ],
        [this.auditWrite(proposal.id, audit, proposal.createdAt)],
      );
      return 'created' as const;
    } catch (error) {
      if (isConditionFailure(error)) return 'exists' as const;
      throw error;
    }
  }

  async change(id: string, change: ProposalChange) {
    const now = new Date().toISOString();
    const set: Record<string, unknown> = { ...change.set, updatedAt: now };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const assignments = Object.entries(set)
      .filter(([, v]) => v !== undefined)
      .map(([k, v], i) => {
        names[`#f${i}`] = k;
        values[`:v${i}`] = v;
        return `#f${i} = :v${i}`;
      });
    const removals = (change.remove ?? []).map((k, i) => {
      names[`#r${i}`] = k;
      return `#r${i}`;
    });
    let condition = 'attribute_exists(id)';
    if (change.from?.length) {
      names['#status'] = 'status';
      condition += ` AND #status IN (${change.from
        .map((s, i) => {
          values[`:from${i}`] = s;
          return `:from${i}`;
        })
        .join(', ')})`;
    }
    if (change.notExpiredAt) {
      // Both sides are toISOString() output (fixed width, UTC), so string order is time order.
      names['#approval'] = 'approval';
      names['#expiresAt'] = 'expiresAt';
      values[':notExpiredAt'] = change.notExpiredAt;
      condition += ' AND #approval.#expiresAt > :notExpiredAt';
    }
    try {
      await this.audit.transactWithEvents(
        [
          {
            Update: {
              TableName: this.tables.proposals,
              Key: { id },
              UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
              ConditionExpression: condition,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
        ],
        [this.auditWrite(id, change.audit, now)],
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        const current = await this.get(id);
        if (!current) throw new ProposalNotFoundError(`Proposal ${id} does not exist`);
        throw new ProposalStatusConflictError(
          `Proposal ${id} is ${current.status}, expected one of ${change.from?.join(', ') ?? 'any'}` +
            (change.notExpiredAt
              ? ` with its approval deadline after ${change.notExpiredAt} (it is ${current.approval?.expiresAt})`
              : ''),
        );
      }
      throw error;
    }
    const updated = await this.get(id);
    if (!updated) throw new ProposalNotFoundError(`Proposal ${id} does not exist`);
    return updated;
  }

  async listUnfinished() {
    const values = Object.fromEntries(FINAL_STATUSES.map((s, i) => [`:s${i}`, s]));
    const items = await scanAll(this.db, {
      TableName: this.tables.proposals,
      FilterExpression: `NOT (#status IN (${Object.keys(values).join(', ')}))`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    });
    return items.map(fromItem);
  }

  private auditWrite(proposalId: string, audit: AuditInput, at: string) {
    return { event: { ...audit, entity: proposalEntity(proposalId), at } };
  }
}

/** The index sorts by registration; what counts is the order S3 took the uploads in. */
const byNewestUpload = (proposals: Proposal[]) => proposals.sort((a, b) => compareUploads(b, a));

function fromItem(item: Record<string, unknown>): Proposal {
  const { programmeVillage: _derived, ...rest } = item;
  return Proposal.parse(rest);
}
