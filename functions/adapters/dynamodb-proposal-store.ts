import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { AuditEvent, proposalEntity } from '../core/audit/audit-event';
import { FINAL_STATUSES, Proposal } from '../core/proposals/proposal';
import { ProposalNotFoundError, ProposalStatusConflictError, type ProposalChange, type ProposalStore } from '../ports/proposal-store';
import { PROPOSAL_INDEXES } from './table-design';

type Tables = { proposals: string; audit: string };
type AuditInput = Omit<AuditEvent, 'entity' | 'at'>;

/**
 * Proposals and their audit trail in DynamoDB. Every change goes in one transaction with its audit
 * event, so the history can never miss a state the proposal was in.
 */
export class DynamoDbProposalStore implements ProposalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async get(id: string) {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.proposals, Key: { id }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async findByUploadKey(uploadKey: string) {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.proposals,
        IndexName: PROPOSAL_INDEXES.byUploadKey,
        KeyConditionExpression: 'uploadKey = :k',
        ExpressionAttributeValues: { ':k': uploadKey },
        ScanIndexForward: false,
      }),
    );
    return Promise.all(Items.map((i) => this.get(i.id as string))).then((ps) => ps.filter((p): p is Proposal => !!p));
  }

  async findByProgrammeVillage(programmeId: string, villageCode: string) {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.proposals,
        IndexName: PROPOSAL_INDEXES.byProgrammeVillage,
        KeyConditionExpression: 'programmeVillage = :k',
        ExpressionAttributeValues: { ':k': `${programmeId}#${villageCode}` },
        ScanIndexForward: false,
      }),
    );
    return Items.map(fromItem);
  }

  async create(proposal: Proposal, audit: AuditInput) {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.proposals,
                Item: { ...proposal, programmeVillage: `${proposal.programmeId}#${proposal.villageCode}` },
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            { Put: this.auditPut(proposal.id, audit, proposal.createdAt) },
          ],
        }),
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
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
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
            { Put: this.auditPut(id, change.audit, now) },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        const current = await this.get(id);
        if (!current) throw new ProposalNotFoundError(`Proposal ${id} does not exist`);
        throw new ProposalStatusConflictError(`Proposal ${id} is ${current.status}, expected one of ${change.from?.join(', ')}`);
      }
      throw error;
    }
    const updated = await this.get(id);
    if (!updated) throw new ProposalNotFoundError(`Proposal ${id} does not exist`);
    return updated;
  }

  async record(id: string, audit: AuditInput) {
    await this.db.send(new PutCommand(this.auditPut(id, audit, new Date().toISOString())));
  }

  async listUnfinished() {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    const values = Object.fromEntries(FINAL_STATUSES.map((s, i) => [`:s${i}`, s]));
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tables.proposals,
          FilterExpression: `NOT (#status IN (${Object.keys(values).join(', ')}))`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.map(fromItem);
  }

  async history(id: string) {
    const events: AuditEvent[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.audit,
          KeyConditionExpression: 'entity = :e',
          ExpressionAttributeValues: { ':e': proposalEntity(id) },
          ExclusiveStartKey,
        }),
      );
      events.push(...(page.Items ?? []).map((i) => AuditEvent.parse(i)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return events;
  }

  private auditPut(proposalId: string, audit: AuditInput, at: string) {
    const event = AuditEvent.parse({ ...audit, entity: proposalEntity(proposalId), at });
    return {
      TableName: this.tables.audit,
      // The random suffix keeps two events in the same millisecond apart; the time prefix keeps order.
      Item: { ...event, seq: `${at}#${randomBytes(4).toString('hex')}`, day: at.slice(0, 10) },
      ConditionExpression: 'attribute_not_exists(entity)',
    };
  }
}

function fromItem(item: Record<string, unknown>): Proposal {
  const { programmeVillage: _derived, ...rest } = item;
  return Proposal.parse(rest);
}

function isConditionFailure(error: unknown): boolean {
  // Compared by name: the SDK's error classes can come from more than one copy of the package.
  if ((error as { name?: string })?.name === 'TransactionCanceledException') {
    return ((error as TransactionCanceledException).CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}
