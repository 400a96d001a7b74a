import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIM_INDEXES } from '../../functions/adapters/table-design';
import { ClaimTables } from '../../infra/constructs/claim-tables';
import { PROJECT_ROOT } from '../../infra/constructs/jaring-function';
import { StatefulStack } from '../../infra/stacks/stateful-stack';

// cdk.json's feature flags change what CDK writes: the construct is synthesized with the deployed context.
const context = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
const stack = new Stack(new App({ context }), 'Claims');
const construct = new ClaimTables(stack, 'ClaimTables');
const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, any> };
const claims = template.Resources[stack.getLogicalId(construct.claims.node.defaultChild as CfnElement)];

const keys = (hash: string, range: string) => [
  { AttributeName: hash, KeyType: 'HASH' },
  { AttributeName: range, KeyType: 'RANGE' },
];
const index = (name: string) =>
  (claims.Properties.GlobalSecondaryIndexes ?? []).find((i: { IndexName: string }) => i.IndexName === name);

describe('claims table', () => {
  it('is on demand, encrypted, with point-in-time recovery and deletion protection, kept on delete and replace', () => {
    expect(claims.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(claims).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(claims.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    // AWS-managed key: encryption on, no customer key to manage.
    expect(claims.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    for (const replica of claims.Properties.Replicas) {
      expect(replica).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      expect(replica.SSESpecification).toBeUndefined();
    }
  });

  it('keys claims, death guards and payouts by one partition key (a transaction writes all three)', () => {
    expect(claims.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
  });

  it.each([
    [CLAIM_INDEXES.byParticipant, 'nik'],
    [CLAIM_INDEXES.byProgrammeVillage, 'programmeVillage'],
    [CLAIM_INDEXES.byProgramme, 'programmeId'],
  ])('lists %s newest filing first from an index of keys only (a change of status writes no index)', (name, hash) => {
    expect(index(name)).toEqual({
      IndexName: name,
      KeySchema: keys(hash, 'filedSort'),
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });

  it('adds up payouts by programme and month from a sparse index holding what a total needs', () => {
    expect(index(CLAIM_INDEXES.paid)).toEqual({
      IndexName: 'paid',
      KeySchema: keys('paidProgramme', 'paidSort'),
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amount', 'claimId', 'claimType'] },
    });
  });
});

describe('in the stateful stack', () => {
  const stateful = new StatefulStack(new App({ context }), 'Stateful');
  const outputs = Template.fromStack(stateful).toJSON().Outputs as Record<string, { Value: unknown }>;

  it('names the claims table in its outputs, where scripts, tests and the local stack find it', () => {
    expect(outputs.ClaimsTableName?.Value).toEqual({
      Ref: stateful.getLogicalId(stateful.claimTables.claims.node.defaultChild as CfnElement),
    });
  });
});
