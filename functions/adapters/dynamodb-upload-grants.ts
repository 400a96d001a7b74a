import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UploadGrant } from '../core/proposals/upload-grant-record';
import type { UploadGrants } from '../ports/upload-grants';

/** Grants are kept 400 days (DynamoDB TTL): long past any upload, short of keeping them forever. */
const KEEP_SECONDS = 400 * 86_400;

export class DynamoDbUploadGrants implements UploadGrants {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(grant: UploadGrant) {
    const ttl = Math.floor(Date.parse(grant.grantedAt) / 1000) + KEEP_SECONDS;
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...UploadGrant.parse(grant), ttl },
        ConditionExpression: 'attribute_not_exists(grantId)',
      }),
    );
  }

  async get(uploadKey: string, grantId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { uploadKey, grantId }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { ttl: _ttl, ...grant } = Item;
    return UploadGrant.parse(grant);
  }
}
