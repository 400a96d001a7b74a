import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Programme } from '../core/programmes/programme';
import { ProgrammeVersionConflictError, type ProgrammeChange, type ProgrammeStore } from '../ports/programme-store';
import type { DynamoDbAuditLog } from './dynamodb-audit-log';
import { queryAll, scanAll } from './dynamodb-pages';
import { readWriteFailure } from './dynamodb-transactions';

/** The programme's entity in the audit trail. */
export const programmeEntity = (id: string) => `programme#${id}`;

/** Digits of the sort key: versions sort as numbers do. */
const VERSION_DIGITS = 10;
const versionKey = (version: number) => String(version).padStart(VERSION_DIGITS, '0');

/**
 * Programmes in one DynamoDB table, one item per version, never changed once written:
 * - `id` (partition key): the programme;
 * - `versionKey` (sort key): its version, zero-padded, so a query reads the versions in order;
 * - the Programme's fields (schema: functions/core/programmes/programme.ts).
 *
 * A version is put on the condition that its key is new, in one transaction with its audit event
 * (PROGRAMME_CREATED for version 1, PROGRAMME_CHANGED after: who, when, why, what changed). Two edits
 * of the same version both ask for the next key and only one gets it. The functions' grant on the
 * table is PutItem and reads (infra: `readAppend`), so no version can be overwritten or removed.
 * A whole-table read (everyVersion) is a Scan: a regency has a handful of programmes a year.
 */
export class DynamoDbProgrammeStore implements ProgrammeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Only saving writes to the audit trail: a function that only reads programmes has no audit table. */
    private readonly audit: () => DynamoDbAuditLog,
  ) {}

  async everyVersion() {
    const items = await scanAll(this.db, { TableName: this.table, ConsistentRead: true });
    return items.map((item) => Programme.parse(item)).sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  }

  async history(id: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':id': id },
      ConsistentRead: true,
    });
    return items.map((item) => Programme.parse(item));
  }

  async save(programme: Programme, expectedVersion: number, changes: readonly ProgrammeChange[]) {
    const stored = Programme.parse(programme);
    if (stored.version !== expectedVersion + 1)
      throw new Error(`Programme ${stored.id}: version ${stored.version} does not follow ${expectedVersion}`);
    const put = {
      TableName: this.table,
      Item: { ...stored, versionKey: versionKey(stored.version) },
      // The next version of the one the change was made from: taken, someone else changed it first.
      ConditionExpression: 'attribute_not_exists(versionKey)',
    };
    const event = {
      entity: programmeEntity(stored.id),
      action: stored.version === 1 ? 'PROGRAMME_CREATED' : 'PROGRAMME_CHANGED',
      actor: stored.changedBy ?? 'system:unknown',
      at: stored.changedAt ?? new Date().toISOString(),
      ...(expectedVersion > 0 && { from: `v${expectedVersion}` }),
      to: `v${stored.version}`,
      details: {
        version: stored.version,
        regency: stored.regency.code,
        ...(stored.reason && { reason: stored.reason }),
        changes,
      },
    };
    try {
      await this.audit().transactWithEvents([{ Put: put }], [{ event, newEntity: stored.version === 1 }]);
    } catch (error) {
      const failure = readWriteFailure(error);
      if (failure.kind === 'condition' && failure.items.includes(0))
        throw new ProgrammeVersionConflictError(stored.id, expectedVersion);
      throw error;
    }
  }
}
