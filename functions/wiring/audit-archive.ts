import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3AuditArchive } from '../adapters/s3-audit-archive';
import { SfnExecutionHistories } from '../adapters/sfn-execution-histories';
import { executionHistories as archivedOrLive } from '../core/audit/archive';
import { auditLog } from './audit-log';
import { traced } from './observability';
import { setting } from './settings';

/** The archive bucket (AUDIT_ARCHIVE_BUCKET): written by the archivers, read by the audit reader. */
export const auditArchive = () => new S3AuditArchive(traced(new S3Client({})), setting('AUDIT_ARCHIVE_BUCKET'));

/** Step Functions' own histories, while it keeps them. */
export const stepFunctionsHistory = () => new SfnExecutionHistories(traced(new SFNClient({})));

/** Execution histories for the console: archived, or live until archived (needs the audit table's reads). */
export const executionHistories = () =>
  archivedOrLive({ audit: auditLog(), store: auditArchive(), stepFunctions: stepFunctionsHistory() });
