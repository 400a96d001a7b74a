import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { JaringFunction } from './jaring-function';

/** The tables behind the proposal store (functions/adapters/dynamodb-proposal-store.ts). */
export type ProposalTables = { proposals: ITableV2; audit: ITableV2 };

/**
 * The proposal store for a function: proposals are created and changed, never deleted; their audit
 * trail is append-only (events are added, never changed or deleted). Appending reads: each event is
 * chained after its entity's last one (functions/adapters/dynamodb-audit-log.ts), so the trail is
 * `readAppend`, PutItem and reads, never UpdateItem or DeleteItem (test/infra/audit-grants.test.ts).
 */
export const bindProposalStore = (fn: JaringFunction, tables: ProposalTables) =>
  fn
    .bindTable({ table: tables.proposals, envVarName: 'PROPOSALS_TABLE', access: 'readUpdate' })
    .bindTable({ table: tables.audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' });

/** Who mail comes from, and the SES identity that may send it. */
export type MailSender = { identity: IEmailIdentity; from: string };

export const bindMailer = (fn: JaringFunction, mail: MailSender) =>
  fn.bindMailIdentity({ ...mail, envVarName: 'MAIL_FROM' });
