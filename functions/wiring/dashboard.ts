import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbBillStore } from '../adapters/dynamodb-bill-store';
import { DynamoDbClaimStore } from '../adapters/dynamodb-claim-store';
import type { DashboardDeps } from '../core/dashboard/figures-for';
import { participantCounts } from './participant-counts';
import { quotaLedger } from './quota-ledger';
import { setting } from './settings';

/**
 * The dashboard's sources, read only. The bill and claim stores take an audit table for the events
 * their writes append; the dashboard writes nothing and has no grant to, so it names none.
 */
export const dashboardSources = (): DashboardDeps => ({
  quotas: quotaLedger(),
  participants: participantCounts(),
  bills: new DynamoDbBillStore(documentClient, { bills: setting('BILLS_TABLE'), audit: '' }),
  claims: new DynamoDbClaimStore(documentClient, { claims: setting('CLAIMS_TABLE'), audit: '' }),
});
