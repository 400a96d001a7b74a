import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbProposalStore } from '../adapters/dynamodb-proposal-store';
import { setting } from './settings';

export const proposalStore = () =>
  new DynamoDbProposalStore(documentClient, { proposals: setting('PROPOSALS_TABLE'), audit: setting('AUDIT_TABLE') });
