import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbParticipantStore } from '../adapters/dynamodb-participant-store';
import { setting } from './settings';

export const participantStore = () =>
  new DynamoDbParticipantStore(documentClient, { participants: setting('PARTICIPANTS_TABLE') });
