import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbEnrolmentStore } from '../adapters/dynamodb-enrolment-store';
import { setting } from './settings';

export const enrolmentStore = () =>
  new DynamoDbEnrolmentStore(documentClient, {
    participants: setting('PARTICIPANTS_TABLE'),
    coverage: setting('COVERAGE_TABLE'),
    audit: setting('AUDIT_TABLE'),
  });
