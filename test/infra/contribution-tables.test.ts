import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BILL_INDEXES, COVERAGE_INDEXES } from '../../functions/adapters/table-design';
import { ContributionTables } from '../../infra/constructs/contribution-tables';
import { PROJECT_ROOT } from '../../infra/constructs/jaring-function';
import { StatefulStack } from '../../infra/stacks/stateful-stack';

// cdk.json's feature flags change what CDK writes: the construct is synthesized with the deployed context.
const context = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
const stack = new Stack(new App({ context }), 'Contributions');
const construct = new ContributionTables(stack, 'ContributionTables');
const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, any> };
const resource = (table: { node: { defaultChild?: unknown } }) =>
  template.Resources[stack.getLogicalId(table.node.defaultChild as CfnElement)];
const tables = { coverage: construct.coverage, bills: construct.bills };

const keys = (hash: string, range: string) => [
  { AttributeName: hash, KeyType: 'HASH' },
  { AttributeName: range, KeyType: 'RANGE' },
];
const index = (table: { node: { defaultChild?: unknown } }, name: string) =>
  (resource(table).Properties.GlobalSecondaryIndexes ?? []).find((i: { IndexName: string }) => i.IndexName === name);

describe('contribution tables', () => {
  it.each(Object.entries(tables))(
    '%s: on demand, encrypted, point-in-time recovery, deletion protection, kept on delete and replace',
    (_, table) => {
      const r = resource(table);
      expect(r.Type).toBe('AWS::DynamoDB::GlobalTable');
      expect(r).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(r.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      // AWS-managed key: encryption on, no customer key to manage.
      expect(r.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      for (const replica of r.Properties.Replicas) {
        expect(replica).toMatchObject({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        });
        expect(replica.SSESpecification).toBeUndefined();
      }
    },
  );

  it('keys a coverage by NIK and programme, a bill by programme and month', () => {
    expect(resource(construct.coverage).Properties.KeySchema).toEqual(keys('nik', 'programmeId'));
    expect(resource(construct.bills).Properties.KeySchema).toEqual(keys('programmeId', 'month'));
  });

  it('pages a village by NIK from an index of keys only (a month billed or paid writes no index)', () => {
    expect(index(construct.coverage, COVERAGE_INDEXES.byProgrammeVillage)).toEqual({
      IndexName: 'byProgrammeVillage',
      KeySchema: keys('programmeVillage', 'nik'),
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });

  it('reads the billable coverages of a shard from an index holding what counting a bill needs', () => {
    expect(index(construct.coverage, COVERAGE_INDEXES.billable)).toEqual({
      IndexName: 'billable',
      KeySchema: keys('billable', 'billableSort'),
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['villageCode', 'start', 'end'] },
    });
  });

  it('finds the open bills by due date from a sparse index', () => {
    expect(index(construct.bills, BILL_INDEXES.open)).toEqual({
      IndexName: 'open',
      KeySchema: keys('openBills', 'dueSort'),
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });
});

describe('in the stateful stack', () => {
  const stateful = new StatefulStack(new App({ context }), 'Stateful');
  const outputs = Template.fromStack(stateful).toJSON().Outputs as Record<string, { Value: unknown }>;
  const ref = (table: { node: { defaultChild?: unknown } }) => ({
    Ref: stateful.getLogicalId(table.node.defaultChild as CfnElement),
  });

  it('names both tables in its outputs, where scripts, tests and the local stack find them', () => {
    expect(outputs.CoverageTableName?.Value).toEqual(ref(stateful.contributions.coverage));
    expect(outputs.BillsTableName?.Value).toEqual(ref(stateful.contributions.bills));
  });
});
