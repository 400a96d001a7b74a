import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { config } from '../config';
import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbParticipantStore } from '../adapters/dynamodb-participant-store';
import { DynamoDbProposalStore } from '../adapters/dynamodb-proposal-store';
import { CognitoAuthenticator } from '../adapters/cognito-authenticator';
import { DynamoDbQuotaLedger } from '../adapters/dynamodb-quota-ledger';
import { DynamoDbUploadGrants } from '../adapters/dynamodb-upload-grants';
import { S3Presigner } from '../adapters/s3-presigner';
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
export const uploadGrants = once(() => new DynamoDbUploadGrants(documentClient, config().UPLOAD_GRANTS_TABLE));
// Presigned URLs must not carry the SDK's default checksum of an empty body (S3 would refuse the real
// file), so presigning uses a client that adds checksums only where S3 requires them.
export const presigner = once(() => new S3Presigner(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' }), config().UPLOADS_BUCKET));
export const authenticator = once(() => new CognitoAuthenticator(new CognitoIdentityProviderClient({}), config().USER_POOL_CLIENT_ID));
/** Where the console's script may send uploads: the S3 endpoint the presigned URLs point at. */
export const uploadOrigins = once(() => {
  const local = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return local ? [new URL(local).origin] : ['https://*.amazonaws.com'];
});
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
