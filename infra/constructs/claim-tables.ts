import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CLAIM_INDEXES } from '../../functions/adapters/table-design';

const key = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The claims workflow's table (issue 10): claims, the guard that lets one death claim stand per
 * person, and the payouts. Keys and indexes as functions/adapters/dynamodb-claim-store.ts designs
 * them. Built like the stateful stack's other tables: on-demand, AWS-managed encryption,
 * point-in-time recovery, deletion protection, kept when the stack goes.
 */
export class ClaimTables extends Construct {
  readonly claims: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.claims = new TableV2(this, 'ClaimsTable', {
      partitionKey: key('pk'),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Keys only: the lists read the claims by key (BatchGetItem), so a change that moves no key (a
    // status, a document) costs no index write.
    const newestFirst = (indexName: string, partitionKey: string) =>
      this.claims.addGlobalSecondaryIndex({
        indexName,
        partitionKey: key(partitionKey),
        sortKey: key('filedSort'),
        projectionType: ProjectionType.KEYS_ONLY,
      });
    newestFirst(CLAIM_INDEXES.byParticipant, 'nik');
    newestFirst(CLAIM_INDEXES.byProgrammeVillage, 'programmeVillage');
    newestFirst(CLAIM_INDEXES.byProgramme, 'programmeId');
    // Sparse: only payout items have these keys; carries what a month's totals add up.
    this.claims.addGlobalSecondaryIndex({
      indexName: CLAIM_INDEXES.paid,
      partitionKey: key('paidProgramme'),
      sortKey: key('paidSort'),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: ['amount', 'claimId', 'claimType'],
    });
  }
}
