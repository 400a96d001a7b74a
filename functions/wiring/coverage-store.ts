import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbCoverageStore } from '../adapters/dynamodb-coverage-store';
import { setting } from './settings';

export const coverageStore = () =>
  new DynamoDbCoverageStore(documentClient, { coverage: setting('COVERAGE_TABLE'), audit: setting('AUDIT_TABLE') });
