import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { AUDIT_INDEXES, PARTICIPANT_INDEXES, PROPOSAL_INDEXES } from '../../functions/adapters/table-design';

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

  constructor(scope: Construct, id: string, props?: StackProps) {
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
    });

    const table = (id: string, partitionKey: string, sortKey?: string) =>
      new TableV2(this, id, {
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

    // CDK turns `eventBridgeEnabled` into a small custom-resource function that sets the bucket's notification configuration.
    NagSuppressions.addResourceSuppressionsByPath(this, `/${this.stackName}/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource`, [
      {
        id: 'AwsSolutions-IAM4',
        reason: "CDK's own bucket-notifications handler runs once at deployment and only needs to write its logs (AWSLambdaBasicExecutionRole).",
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ]);

    // Names scripts and integration tests use to find resources (the local stack writes the same into stack.json).
    new CfnOutput(this, 'UploadsBucketName', { value: this.uploads.bucketName });
    new CfnOutput(this, 'ProposalsTableName', { value: this.proposals.tableName });
    new CfnOutput(this, 'ParticipantsTableName', { value: this.participants.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.audit.tableName });
    new CfnOutput(this, 'QuotasTableName', { value: this.quotas.tableName });
  }
}
