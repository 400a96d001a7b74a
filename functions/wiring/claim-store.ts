import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbClaimStore } from '../adapters/dynamodb-claim-store';
import { setting } from './settings';

export const claimStore = () =>
  new DynamoDbClaimStore(documentClient, { claims: setting('CLAIMS_TABLE'), audit: setting('AUDIT_TABLE') });
