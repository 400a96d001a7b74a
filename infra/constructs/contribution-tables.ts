import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BILL_INDEXES, COVERAGE_INDEXES } from '../../functions/adapters/table-design';

const key = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The contributions workflow's tables (issue 9): each participant's coverage, and the monthly bills.
 * Keys and indexes as functions/core/contributions/README.md designs them; the adapters are
 * functions/adapters/dynamodb-coverage-store.ts and dynamodb-bill-store.ts. Built like the stateful
 * stack's other tables: on-demand, AWS-managed encryption, point-in-time recovery, deletion protection,
 * kept when the stack goes.
 */
export class ContributionTables extends Construct {
  readonly coverage: TableV2;
  readonly bills: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = (tableId: string, partitionKey: string, sortKey: string) =>
      new TableV2(this, tableId, {
        partitionKey: key(partitionKey),
        sortKey: key(sortKey),
        billing: Billing.onDemand(),
        encryption: TableEncryptionV2.awsManagedKey(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    this.coverage = table('CoverageTable', 'nik', 'programmeId');
    // Keys only: the page reads the whole records by key (BatchGetItem), so a month billed or paid,
    // which changes no key, costs no index write.
    this.coverage.addGlobalSecondaryIndex({
      indexName: COVERAGE_INDEXES.byProgrammeVillage,
      partitionKey: key('programmeVillage'),
      sortKey: key('nik'),
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // Sparse (present while ACTIVE or ARREARS) and sharded by the NIK's last digit; carries what
    // counting a bill needs, none of which a month's events change.
    this.coverage.addGlobalSecondaryIndex({
      indexName: COVERAGE_INDEXES.billable,
      partitionKey: key('billable'),
      sortKey: key('billableSort'),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: ['villageCode', 'start', 'end'],
    });

    this.bills = table('BillsTable', 'programmeId', 'month');
    // Sparse: only bills not yet paid in full, for the daily due-date check.
    this.bills.addGlobalSecondaryIndex({
      indexName: BILL_INDEXES.open,
      partitionKey: key('openBills'),
      sortKey: key('dueSort'),
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}
