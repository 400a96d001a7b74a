import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbParticipantCounts } from '../adapters/dynamodb-participant-counts';
import { setting } from './settings';

export const participantCounts = () => new DynamoDbParticipantCounts(documentClient, setting('COVERAGE_TABLE'));
