import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbBillStore } from '../adapters/dynamodb-bill-store';
import { setting } from './settings';

export const billStore = () =>
  new DynamoDbBillStore(documentClient, { bills: setting('BILLS_TABLE'), audit: setting('AUDIT_TABLE') });
