import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TestStack } from './local-stack';

/** A document client on the local stack's DynamoDB, for a test to reach the tables with the stores. */
export function stackDocumentClient(stack: TestStack) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.info.dynamodb.endpoint,
      region: stack.info.region,
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

/** A table's name from stack.json, by what its output is named after. */
export function stackTable(stack: TestStack, pattern: RegExp) {
  const found = Object.entries(stack.info.dynamodb.tables).find(([name]) => pattern.test(name));
  if (!found) throw new Error(`No table like ${pattern} in ${Object.keys(stack.info.dynamodb.tables).join(', ')}`);
  return found[1];
}
