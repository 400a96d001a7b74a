/**
 * Recomputes the audit trail's hash chains, every entity's, and names the first broken link of each
 * chain that does not hold (functions/core/audit/chain.ts). Exits 1 when anything is broken.
 *
 *   npm run audit:verify
 *
 * Against the running local stack (its `stack.json`: the DynamoDB endpoint and the audit table's
 * name), or, with AUDIT_TABLE set, against that table in AWS with the default credentials and region.
 * The whole table is read (a Scan): a tool for an auditor or an operator, never a request path.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDbAuditLog } from '../functions/adapters/dynamodb-audit-log';
import type { ChainedAuditEvent } from '../functions/core/audit/audit-event';
import { verifyChain, type BrokenLink } from '../functions/core/audit/chain';

export type TrailReport = { entities: number; events: number; broken: number; lines: string[] };

const REASONS: Record<BrokenLink['reason'], string> = {
  hash: 'it was changed after it was written (its content no longer matches its hash)',
  prev: 'it does not follow the event before it (an earlier event was changed, removed or moved)',
  gap: 'the event at this position is missing (removed)',
};

/** One broken chain in plain words: entity, position, action, time, reason. */
export function describeBreak(entity: string, broken: BrokenLink): string {
  const what = [broken.action, broken.at].filter(Boolean).join(' at ');
  return `BROKEN ${entity}: position ${broken.position}${what ? ` (${what})` : ''}: ${REASONS[broken.reason]}`;
}

/** Verifies every entity of the audit table; the report's lines are what the command prints. */
export async function verifyAuditTrail(db: DynamoDBDocumentClient, table: string): Promise<TrailReport> {
  const { events, unreadable } = await new DynamoDbAuditLog(db, table).everything();
  const byEntity = new Map<string, ChainedAuditEvent[]>();
  for (const e of events) byEntity.set(e.entity, [...(byEntity.get(e.entity) ?? []), e]);
  const lines: string[] = [];
  const brokenEntities = new Set<string>();
  for (const [entity, chain] of [...byEntity].sort(([a], [b]) => a.localeCompare(b))) {
    const verdict = verifyChain(chain);
    if (verdict.ok) continue;
    brokenEntities.add(entity);
    lines.push(describeBreak(entity, verdict.broken));
  }
  for (const item of unreadable) {
    brokenEntities.add(item.entity);
    lines.push(
      `BROKEN ${item.entity}: the item at ${item.seq} is not an audit event any more (a field was overwritten)`,
    );
  }
  const entities = new Set([...byEntity.keys(), ...unreadable.map((i) => i.entity)]).size;
  const summary =
    `Audit trail ${table}: ${events.length + unreadable.length} events of ${entities} entities, ` +
    (brokenEntities.size ? `${brokenEntities.size} broken.` : 'every chain whole.');
  return {
    entities,
    events: events.length + unreadable.length,
    broken: brokenEntities.size,
    lines: [summary, ...lines],
  };
}

/** Where the audit table is: AUDIT_TABLE in AWS, or the running local stack's. */
function target(): { db: DynamoDBDocumentClient; table: string } {
  const options = { marshallOptions: { removeUndefinedValues: true } };
  if (process.env.AUDIT_TABLE) {
    return { db: DynamoDBDocumentClient.from(new DynamoDBClient({}), options), table: process.env.AUDIT_TABLE };
  }
  const home = process.env.JARING_HOME ?? join(import.meta.dirname, '..', '.jaring');
  const info = JSON.parse(readFileSync(join(home, 'stack.json'), 'utf-8')) as {
    region: string;
    dynamodb: { endpoint: string; tables: Record<string, string> };
  };
  const table = info.dynamodb.tables.audit;
  if (!table) throw new Error(`The local stack in ${home} names no audit table`);
  const client = new DynamoDBClient({
    endpoint: info.dynamodb.endpoint,
    region: info.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { db: DynamoDBDocumentClient.from(client, options), table };
}

export async function main(): Promise<number> {
  const { db, table } = target();
  const trail = await verifyAuditTrail(db, table);
  for (const line of trail.lines) console.log(line);

  // HOOK (archive, helper "archive"): verify the archive's daily digest chain here, with
  // `verifyArchive(store, options)` from functions/core/audit/archive.ts, when the archive bucket has
  // files (locally the stack's audit archive bucket, in AWS an AUDIT_ARCHIVE_BUCKET setting); print
  // its first broken link the same way and count it below.
  const archiveBroken = 0;

  return trail.broken + archiveBroken > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
