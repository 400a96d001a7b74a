import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { AuditEvent } from '../core/audit/audit-event';
import type { AppendOptions, AuditLog } from '../ports/audit-log';
import { queryAll } from './dynamodb-pages';
import { isConditionFailure } from './dynamodb-transactions';
import { AUDIT_INDEXES } from './table-design';

/**
 * The audit trail in one DynamoDB table, one key design for every entity:
 * - `entity` (partition key): what the event belongs to, `proposal#<id>`, `participant#<programme>#<nik>`, ...
 * - `seq` (sort key): `<at>#<unique>`. The ISO time first keeps an entity's events in order; the
 *   unique part keeps two events of the same millisecond apart. It is random, or the caller's
 *   `once` key where an event must be written once (a re-run then meets its own event and stops).
 * - `day` (partition key of the `byDay` index, sorted by `seq`): the UTC day of `at`.
 * Every put is conditional on the key being new, so no event is ever overwritten; the functions'
 * grant on the table is PutItem alone (infra/constructs/bindings.ts).
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The put for one event, for a store to write in the same transaction as the change the event
   * records, so the trail can never miss a state an entity was in.
   */
  auditItem(event: AuditEvent, options: AppendOptions = {}) {
    const parsed = AuditEvent.parse(event);
    const unique = options.once ?? randomBytes(4).toString('hex');
    return {
      Put: {
        TableName: this.table,
        Item: { ...parsed, seq: `${parsed.at}#${unique}`, day: parsed.at.slice(0, 10) },
        ConditionExpression: 'attribute_not_exists(entity)',
      },
    };
  }

  async append(event: AuditEvent, options: AppendOptions = {}) {
    try {
      await this.db.send(new PutCommand(this.auditItem(event, options).Put));
    } catch (error) {
      // Only an event keyed `once` can meet itself: it is in the trail already.
      if (options.once !== undefined && isConditionFailure(error)) return;
      throw error;
    }
  }

  async byEntity(entity: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'entity = :e',
      ExpressionAttributeValues: { ':e': entity },
    });
    return items.map((i) => AuditEvent.parse(i));
  }

  async byDay(day: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: AUDIT_INDEXES.byDay,
      KeyConditionExpression: '#day = :d',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':d': day },
    });
    return items.map((i) => AuditEvent.parse(i));
  }
}
