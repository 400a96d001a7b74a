import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbUploadGrants } from '../adapters/dynamodb-upload-grants';
import { setting } from './settings';

export const uploadGrants = () => new DynamoDbUploadGrants(documentClient, setting('UPLOAD_GRANTS_TABLE'));
