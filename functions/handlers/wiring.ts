import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { config } from '../config';
import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbParticipantStore } from '../adapters/dynamodb-participant-store';
import { DynamoDbProposalStore } from '../adapters/dynamodb-proposal-store';
import { DynamoDbQuotaLedger } from '../adapters/dynamodb-quota-ledger';
import { HttpBpjsGateway } from '../adapters/http-bpjs-gateway';
import { s3Client, S3ObjectStore } from '../adapters/s3-object-store';
import { SesMailer } from '../adapters/ses-mailer';
import { SfnWorkflow } from '../adapters/sfn-workflow';
import { SmtpMailer } from '../adapters/smtp-mailer';
import { findProgramme } from '../core/programmes/catalogue';
import type { Mailer } from '../ports/mailer';

/**
 * The composition root: ports bound to adapters from the configuration, built once per container
 * and only when a handler first needs them.
 */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const proposals = once(() => new DynamoDbProposalStore(documentClient, { proposals: config().PROPOSALS_TABLE, audit: config().AUDIT_TABLE }));
export const participants = once(
  () => new DynamoDbParticipantStore(documentClient, { participants: config().PARTICIPANTS_TABLE, audit: config().AUDIT_TABLE }),
);
export const ledger = once(() => new DynamoDbQuotaLedger(documentClient, config().QUOTAS_TABLE));
export const uploads = once(() => new S3ObjectStore(s3Client, config().UPLOADS_BUCKET));
export const workflow = once(() => new SfnWorkflow(new SFNClient({}), config().STATE_MACHINE_ARN));
export const bpjs = once(() => new HttpBpjsGateway(config().BPJS_URL));
export const mailer = once((): Mailer => {
  const { MAIL_TRANSPORT, SMTP_URL, MAIL_FROM } = config();
  if (MAIL_TRANSPORT === 'smtp') {
    if (!SMTP_URL) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL');
    return new SmtpMailer(SMTP_URL, MAIL_FROM);
  }
  return new SesMailer(new SESv2Client({}), MAIL_FROM);
});

export const now = () => new Date();
export { findProgramme };
