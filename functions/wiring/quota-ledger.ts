import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbQuotaLedger } from '../adapters/dynamodb-quota-ledger';
import { setting } from './settings';

export const quotaLedger = () => new DynamoDbQuotaLedger(documentClient, setting('QUOTAS_TABLE'));
