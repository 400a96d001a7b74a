import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_INDEXES, PARTICIPANT_INDEXES, PROPOSAL_INDEXES } from '../../functions/adapters/table-design';
import { resourceIn, resourcesOfType, synthesizeApp } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const { stateful } = app;
const template = Template.fromJSON(app.templates.stateful);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stateful.getLogicalId(construct.node.defaultChild as CfnElement);
const uploadsId = logicalId(stateful.uploads);
const uploads = resourceIn(app.templates.stateful, uploadsId);
const accessLogsId = logicalId(stateful.node.findChild('AccessLogsBucket'));

const bucketPolicyOf = (bucketId: string) => {
  const policies = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } });
  return Object.values(policies)[0]?.Properties.PolicyDocument.Statement as Record<string, any>[];
};

describe('uploads bucket', () => {
  it('keeps every version an operator uploads (a proposal points at the version it came from)', () => {
    expect(uploads.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('is encrypted at rest and blocks every form of public access', () => {
    expect(uploads.Properties?.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms|aws:kms:dsse)$/) } },
      ],
    });
    expect(uploads.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('refuses every request not made over TLS', () => {
    expect(bucketPolicyOf(uploadsId)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [
          { 'Fn::GetAtt': [uploadsId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [uploadsId, 'Arn'] }, '/*']] },
        ],
      }),
    );
  });

  it('sends its object events to EventBridge (what starts the enrollment workflow)', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: uploadsId },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('is kept when the stack is deleted or the bucket replaced', () => {
    expect(uploads).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('access-log bucket', () => {
  it('receives the uploads bucket access logs', () => {
    expect(uploads.Properties?.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: accessLogsId },
      LogFilePrefix: expect.any(String),
    });
    expect(resourceIn(app.templates.stateful, accessLogsId).Type).toBe('AWS::S3::Bucket');
  });

  it('lets the S3 logging service write only the uploads bucket logs, through its policy', () => {
    const prefix = uploads.Properties?.LoggingConfiguration.LogFilePrefix as string;
    expect(bucketPolicyOf(accessLogsId)).toContainEqual({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [accessLogsId, 'Arn'] }, `/${prefix}*`]] },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [uploadsId, 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
  });

  it('is encrypted, private, TLS-only and kept', () => {
    const logs = resourceIn(app.templates.stateful, accessLogsId);
    expect(logs.Properties?.BucketEncryption).toBeDefined();
    expect(logs.Properties?.PublicAccessBlockConfiguration).toEqual(uploads.Properties?.PublicAccessBlockConfiguration);
    expect(bucketPolicyOf(accessLogsId)).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(logs).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('tables', () => {
  const tables = {
    proposals: logicalId(stateful.proposals),
    participants: logicalId(stateful.participants),
    audit: logicalId(stateful.audit),
    quotas: logicalId(stateful.quotas),
    uploadGrants: logicalId(stateful.uploadGrants),
    coverage: logicalId(stateful.contributions.coverage),
    bills: logicalId(stateful.contributions.bills),
    claims: logicalId(stateful.claimTables.claims),
    programmes: logicalId(stateful.programmes),
  };
  const tableProps = (id: string) => resourceIn(app.templates.stateful, id).Properties as Record<string, any>;

  it.each(Object.entries(tables))(
    '%s: point-in-time recovery, encryption, deletion protection, kept on delete and replace',
    (_, id) => {
      const table = resourceIn(app.templates.stateful, id);
      expect(table.Type).toBe('AWS::DynamoDB::GlobalTable');
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(tableProps(id).SSESpecification).toMatchObject({ SSEEnabled: true });
      // A TableV2 sets these per replica; every replica must have them.
      for (const replica of tableProps(id).Replicas) {
        expect(replica).toMatchObject({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        });
      }
    },
  );

  it('no other table in the stack escapes those settings', () => {
    for (const [id] of resourcesOfType(app.templates.stateful, 'AWS::DynamoDB::GlobalTable'))
      expect(Object.values(tables)).toContain(id);
    expect(resourcesOfType(app.templates.stateful, 'AWS::DynamoDB::Table')).toEqual([]);
  });

  const index = (tableId: string, name: string) =>
    (tableProps(tableId).GlobalSecondaryIndexes ?? []).find((i: { IndexName: string }) => i.IndexName === name);
  const keys = (hash: string, range: string) => [
    { AttributeName: hash, KeyType: 'HASH' },
    { AttributeName: range, KeyType: 'RANGE' },
  ];

  it('proposals are found by upload key and listed by programme and village, newest first, with whole items', () => {
    expect(index(tables.proposals, PROPOSAL_INDEXES.byUploadKey)).toMatchObject({
      KeySchema: keys('uploadKey', 'createdAt'),
    });
    // The adapter maps the items the query returns straight to proposals.
    expect(index(tables.proposals, PROPOSAL_INDEXES.byProgrammeVillage)).toEqual({
      IndexName: PROPOSAL_INDEXES.byProgrammeVillage,
      KeySchema: keys('programmeVillage', 'createdAt'),
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it('participants are listed by proposal, and the audit trail by day, with whole items', () => {
    expect(index(tables.participants, PARTICIPANT_INDEXES.byProposal)).toEqual({
      IndexName: PARTICIPANT_INDEXES.byProposal,
      KeySchema: keys('proposalId', 'nik'),
      Projection: { ProjectionType: 'ALL' },
    });
    expect(index(tables.audit, AUDIT_INDEXES.byDay)).toEqual({
      IndexName: AUDIT_INDEXES.byDay,
      KeySchema: keys('day', 'seq'),
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it('keys are the ones the adapters address items by', () => {
    expect(tableProps(tables.proposals).KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(tableProps(tables.participants).KeySchema).toEqual(keys('nik', 'programmeId'));
    expect(tableProps(tables.audit).KeySchema).toEqual(keys('entity', 'seq'));
    expect(tableProps(tables.quotas).KeySchema).toEqual(keys('pk', 'sk'));
    // One item per version of a programme (functions/adapters/dynamodb-programme-store.ts).
    expect(tableProps(tables.programmes).KeySchema).toEqual(keys('id', 'versionKey'));
  });
});

describe('sign-in (Cognito user pool)', () => {
  const [poolId, pool] = resourcesOfType(app.templates.stateful, 'AWS::Cognito::UserPool')[0] as unknown as [
    string,
    { Properties: Record<string, any> },
  ];
  const clients = resourcesOfType(app.templates.stateful, 'AWS::Cognito::UserPoolClient');

  it('lets nobody sign themselves up, and is kept across deployments', () => {
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(resourceIn(app.templates.stateful, poolId)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
  });

  it("has one group per role and the regency, an auditor's further regencies and villages as attributes", () => {
    const groups = resourcesOfType(app.templates.stateful, 'AWS::Cognito::UserPoolGroup')
      .map(([, g]) => g.Properties?.GroupName)
      .sort();
    expect(groups).toEqual(['admin', 'approver', 'auditor', 'finance', 'operator', 'verifier']);
    const custom = (pool.Properties.Schema as { Name: string; Mutable: boolean }[]).map((a) => a.Name);
    expect(custom).toEqual(expect.arrayContaining(['regency', 'regencies', 'villages']));
  });

  it('asks for a strong password', () => {
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
  });

  it('has one app client, without a secret, that cannot write the regency or villages a user holds', () => {
    expect(clients).toHaveLength(1);
    const client = clients[0]![1].Properties as Record<string, any>;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
    expect(client.WriteAttributes).toEqual(['email']);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('lets browsers PUT to the uploads bucket with the presigned headers only (the signature is the credential)', () => {
    expect(uploads.Properties?.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedHeaders: ['content-type', 'x-amz-meta-upload-grant'] }),
    ]);
  });

  it('keeps upload grants under a TTL, not forever', () => {
    const grants = resourcesOfType(app.templates.stateful, 'AWS::DynamoDB::GlobalTable').find(([id]) =>
      id.startsWith('UploadGrants'),
    )?.[1];
    expect(grants?.Properties?.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
  });
});
