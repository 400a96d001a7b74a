import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log';
import { setting } from './settings';

/** The audit trail: events that change no state are appended here, and histories are read here. */
export const auditLog = () => new DynamoDbAuditLog(documentClient, setting('AUDIT_TABLE'));
