/**
 * Recomputes the audit trail's hash chains, every entity's, and names the first broken link of each
 * chain that does not hold (functions/core/audit/chain.ts); then the archive's daily digest chain
 * (functions/core/audit/archive.ts), naming its first broken link. Exits 1 when anything is broken.
 *
 *   npm run audit:verify
 *
 * Against the running local stack (its `stack.json`: the DynamoDB endpoint and the audit table's
 * name), or, with AUDIT_TABLE set, against that table in AWS with the default credentials and region.
 * The whole table is read (a Scan): a tool for an auditor or an operator, never a request path.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDbAuditLog } from '../functions/adapters/dynamodb-audit-log';
import { S3AuditArchive } from '../functions/adapters/s3-audit-archive';
import { ARCHIVE_PREFIXES, verifyArchive, type ArchiveBreak } from '../functions/core/audit/archive';
import type { ChainedAuditEvent } from '../functions/core/audit/audit-event';
import { verifyChain, type BrokenLink } from '../functions/core/audit/chain';

export type TrailReport = { entities: number; events: number; broken: number; lines: string[] };

const REASONS: Record<BrokenLink['reason'], string> = {
  hash: 'it was changed after it was written (its content no longer matches its hash)',
  prev: 'it does not follow the event before it (an earlier event was changed, removed or moved)',
  gap: 'the event at this position is missing (removed)',
};

/** One broken chain in plain words: entity, position, action, time, reason. */
function describeBreak(entity: string, broken: BrokenLink): string {
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

const ARCHIVE_REASONS: Record<ArchiveBreak['reason'], string> = {
  'file-missing': 'the file its digest lists is gone',
  'file-changed': 'the file was changed after it was archived (its SHA-256 or size no longer matches the digest)',
  'digest-missing': "the day's digest is missing (removed)",
  'digest-changed': 'the digest was changed after it was written (it no longer matches its own hash)',
  chain: "the digest does not link to the day before's (a digest before it was changed or replaced)",
};

/**
 * The archive's daily digest chain (functions/core/audit/archive.ts): the running local stack's archive
 * bucket, or AUDIT_ARCHIVE_BUCKET in AWS. Nothing to verify before the first digest is written.
 */
export async function verifyArchiveBucket(): Promise<{ broken: number; lines: string[] }> {
  let s3: S3Client;
  let bucket: string | undefined;
  if (process.env.AUDIT_TABLE) {
    bucket = process.env.AUDIT_ARCHIVE_BUCKET;
    if (!bucket) return { broken: 0, lines: ['Archive: not verified (set AUDIT_ARCHIVE_BUCKET to verify it).'] };
    s3 = new S3Client({});
  } else {
    const home = process.env.JARING_HOME ?? join(import.meta.dirname, '..', '.jaring');
    const info = JSON.parse(readFileSync(join(home, 'stack.json'), 'utf-8')) as {
      region: string;
      s3?: { endpoint: string; buckets: Record<string, string> };
    };
    bucket = info.s3?.buckets.auditArchive;
    if (!info.s3 || !bucket)
      return { broken: 0, lines: [`Archive: the local stack in ${home} names no archive bucket.`] };
    s3 = new S3Client({
      endpoint: info.s3.endpoint,
      region: info.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }
  const store = new S3AuditArchive(s3, bucket);
  if (!(await store.list(ARCHIVE_PREFIXES.digests)).length)
    return { broken: 0, lines: [`Archive ${bucket}: no day archived yet.`] };
  const verdict = await verifyArchive(store);
  if (verdict.ok) return { broken: 0, lines: [`Archive ${bucket}: ${verdict.days} days, the digest chain whole.`] };
  const { day, key, reason } = verdict.broken;
  return {
    broken: 1,
    lines: [
      `Archive ${bucket}: ${verdict.days} days whole before the break.`,
      `BROKEN archive ${day}: ${key}: ${ARCHIVE_REASONS[reason]}`,
    ],
  };
}

async function main(): Promise<number> {
  const { db, table } = target();
  const trail = await verifyAuditTrail(db, table);
  for (const line of trail.lines) console.log(line);

  const archive = await verifyArchiveBucket();
  for (const line of archive.lines) console.log(line);
  const archiveBroken = archive.broken;

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
