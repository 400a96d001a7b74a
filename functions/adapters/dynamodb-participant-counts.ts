import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { ParticipantCounts } from '../ports/participant-counts';
import { COVERAGE_INDEXES } from './table-design';

/** Villages counted at once: a regency's 231 in a few rounds, well under the table's throttle. */
const COUNT_CONCURRENCY = 16;

/**
 * Counts from the coverage table's `byProgrammeVillage` index (keys only, one partition per village
 * and programme) with `Select: COUNT`: DynamoDB counts the keys and returns none, across its 1 MB
 * pages, so a village of 2,000 participants costs a few read units and no records leave the table.
 */
export class DynamoDbParticipantCounts implements ParticipantCounts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async byVillage(programmeId: string, villageCodes: readonly string[]): Promise<Map<string, number>> {
    const counts = await pMap(villageCodes, (code) => this.count(`${programmeId}#${code}`), {
      concurrency: COUNT_CONCURRENCY,
    });
    return new Map(villageCodes.map((code, i) => [code, counts[i]!]));
  }

  private async count(programmeVillage: string): Promise<number> {
    let count = 0;
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: COVERAGE_INDEXES.byProgrammeVillage,
        KeyConditionExpression: 'programmeVillage = :pv',
        ExpressionAttributeValues: { ':pv': programmeVillage },
        Select: 'COUNT',
      },
    );
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  }
}
