import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  CfnBucket,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { AUDIT_INDEXES, PARTICIPANT_INDEXES, PROPOSAL_INDEXES } from '../../functions/adapters/table-design';
import { Role, USER_ATTRIBUTES } from '../../functions/core/access/principal';
import { ClaimTables } from '../constructs/claim-tables';
import { ContributionTables } from '../constructs/contribution-tables';
import { PRESIGNED_UPLOAD_HEADERS } from '../../functions/core/proposals/upload-grant';

/**
 * What must outlive any deployment: the uploads (with every version an operator sent) and the
 * tables. Kept apart from the functions so a stateless redeploy can never replace them.
 */
export class StatefulStack extends Stack {
  readonly uploads: Bucket;
  readonly proposals: TableV2;
  readonly participants: TableV2;
  readonly audit: TableV2;
  readonly quotas: TableV2;
  readonly uploadGrants: TableV2;
  /** Programmes, one item per version, never changed once written (issue 13). */
  readonly programmes: TableV2;
  /** Coverage per participant and the monthly bills (issue 9). */
  readonly contributions: ContributionTables;
  /** Claims on participants' cover, with their payouts (issue 10). */
  readonly claimTables: ClaimTables;
  readonly users: UserPool;
  readonly webClient: UserPoolClient;
  /** The audit archive (issue 11): events, executions' histories and the daily digests, locked for years. */
  readonly auditArchive: Bucket;

  constructor(scope: Construct, id: string, props?: StackProps & { archiveRetentionYears?: number }) {
    super(scope, id, props);

    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.uploads = new Bucket(this, 'UploadsBucket', {
      // Every version an operator uploads is kept: a proposal points at the exact version it came from.
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Operators upload from the browser with a presigned PUT. The signature is the credential
      // (it names the one key and the signed headers), so any origin may send it; only PUT, and
      // only the headers the presign signs.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: ['*'],
          allowedHeaders: ['content-type', ...PRESIGNED_UPLOAD_HEADERS],
          exposedHeaders: ['etag'],
          maxAge: 3000,
        },
      ],
    });

    // The archive that outlives the tables and Step Functions' 90 days (functions/core/audit/archive.ts).
    // Object Lock in compliance mode: each object version is kept, unchanged, for the retention, whoever
    // asks (the root user included). Executions' inputs and outputs may carry NIKs and names: only the
    // archive functions write here (put, never delete) and only the audit reader reads.
    this.auditArchive = new Bucket(this, 'AuditArchiveBucket', {
      versioned: true,
      objectLockEnabled: true,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'audit-archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // In years, not CDK's days (3650 days fall short of 10 years by the leap days).
    (this.auditArchive.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: props?.archiveRetentionYears ?? 10 } },
    };
    // Locked versions cannot be deleted anyway; this also refuses delete markers, which would hide them.
    this.auditArchive.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NoDeletes',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.auditArchive.arnForObjects('*')],
      }),
    );

    const table = (id: string, partitionKey: string, sortKey?: string, timeToLiveAttribute?: string) =>
      new TableV2(this, id, {
        timeToLiveAttribute,
        partitionKey: { name: partitionKey, type: AttributeType.STRING },
        sortKey: sortKey ? { name: sortKey, type: AttributeType.STRING } : undefined,
        billing: Billing.onDemand(),
        encryption: TableEncryptionV2.awsManagedKey(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    this.proposals = table('ProposalsTable', 'id');
    this.proposals.addGlobalSecondaryIndex({
      indexName: PROPOSAL_INDEXES.byUploadKey,
      partitionKey: { name: 'uploadKey', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
    });
    this.proposals.addGlobalSecondaryIndex({
      indexName: PROPOSAL_INDEXES.byProgrammeVillage,
      partitionKey: { name: 'programmeVillage', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
    });

    this.participants = table('ParticipantsTable', 'nik', 'programmeId');
    this.participants.addGlobalSecondaryIndex({
      indexName: PARTICIPANT_INDEXES.byProposal,
      partitionKey: { name: 'proposalId', type: AttributeType.STRING },
      sortKey: { name: 'nik', type: AttributeType.STRING },
    });

    this.audit = table('AuditTable', 'entity', 'seq');
    this.audit.addGlobalSecondaryIndex({
      indexName: AUDIT_INDEXES.byDay,
      partitionKey: { name: 'day', type: AttributeType.STRING },
      sortKey: { name: 'seq', type: AttributeType.STRING },
    });

    // Quota counters and NIK claims per programme period (see functions/adapters/dynamodb-quota-ledger.ts).
    this.quotas = table('QuotasTable', 'pk', 'sk');

    // Who may upload which file: written when a signed-in operator asks for a presigned upload, read
    // when the upload arrives, so a proposal names the person (the file's metadata alone could be forged).
    this.uploadGrants = table('UploadGrantsTable', 'uploadKey', 'grantId', 'ttl');

    // Programmes as data (functions/adapters/dynamodb-programme-store.ts): `id`, and `versionKey` per version.
    this.programmes = table('ProgrammesTable', 'id', 'versionKey');

    this.contributions = new ContributionTables(this, 'ContributionTables');
    this.claimTables = new ClaimTables(this, 'ClaimTables');

    // People and roles. Users are created by the regency's admin (no self sign-up); the groups are the
    // roles, the regency and an operator's villages are attributes only an administrator can write.
    this.users = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        [USER_ATTRIBUTES.regency]: new StringAttribute({ minLen: 5, maxLen: 5, mutable: true }),
        // An auditor's further regencies (issue 13), codes separated by spaces: a new attribute, since a
        // deployed pool cannot widen the one above.
        [USER_ATTRIBUTES.regencies]: new StringAttribute({ maxLen: 2048, mutable: true }),
        // Village codes separated by spaces: 2048 characters hold about 140 villages.
        [USER_ATTRIBUTES.villages]: new StringAttribute({ maxLen: 2048, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of Role.options)
      this.users.addGroup(`Group-${role}`, { groupName: role, description: `Jaring role: ${role}` });
    this.webClient = this.users.addClient('WebClient', {
      // The sign-in page posts username and password to the API, which asks Cognito (USER_PASSWORD_AUTH).
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      // A working day; the page signs in again after that.
      idTokenValidity: Duration.hours(10),
      accessTokenValidity: Duration.hours(10),
      refreshTokenValidity: Duration.days(1),
      // Users may change their own contact details, never their regency or villages.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });

    // CDK turns `eventBridgeEnabled` into a small custom-resource function that sets the bucket's notification
    // configuration.
    NagSuppressions.addResourceSuppressions(this.users, [
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is offered (TOTP) but optional: village operators share office computers and not all have smartphones. Making it required for the regency-wide roles is a follow-up; Cognito cannot require it per group.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Threat protection (advanced security) needs the Cognito Plus plan; the pool uses Essentials, with Cognito’s own lockout after failed sign-ins.',
      },
    ]);
    NagSuppressions.addResourceSuppressionsByPath(
      this,
      `/${this.stackName}/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource`,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "CDK's own bucket-notifications handler runs once at deployment and only needs to write its logs (AWSLambdaBasicExecutionRole).",
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
      ],
    );

    // Names scripts and integration tests use to find resources (the local stack writes the same into stack.json).
    new CfnOutput(this, 'UploadsBucketName', { value: this.uploads.bucketName });
    new CfnOutput(this, 'ProposalsTableName', { value: this.proposals.tableName });
    new CfnOutput(this, 'ParticipantsTableName', { value: this.participants.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.audit.tableName });
    new CfnOutput(this, 'QuotasTableName', { value: this.quotas.tableName });
    new CfnOutput(this, 'UploadGrantsTableName', { value: this.uploadGrants.tableName });
    new CfnOutput(this, 'ProgrammesTableName', { value: this.programmes.tableName });
    new CfnOutput(this, 'CoverageTableName', { value: this.contributions.coverage.tableName });
    new CfnOutput(this, 'BillsTableName', { value: this.contributions.bills.tableName });
    new CfnOutput(this, 'ClaimsTableName', { value: this.claimTables.claims.tableName });
    new CfnOutput(this, 'AuditArchiveBucketName', { value: this.auditArchive.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.webClient.userPoolClientId });
  }
}
