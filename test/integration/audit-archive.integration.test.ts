import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { S3AuditArchive } from '../../functions/adapters/s3-audit-archive';
import { SfnExecutionHistories } from '../../functions/adapters/sfn-execution-histories';
import {
  addDays,
  ArchiveDigest,
  digestKey,
  eventsKey,
  executionHistories,
  verifyArchive,
} from '../../functions/core/audit/archive';
import { ArchivedExecution } from '../../functions/core/audit/execution-record';
import { verifyArchiveBucket } from '../../scripts/audit-verify';
import {
  approvalLink,
  decide,
  nik,
  proposalCsv,
  startTestStack,
  uploadAsOperator,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack;
let sfn: SFNClient;
let s3: S3Client;
let archive: S3AuditArchive;
let bucket: string;

beforeAll(async () => {
  stack = await startTestStack();
  const { info } = stack;
  const credentials = { accessKeyId: 't', secretAccessKey: 't' };
  sfn = new SFNClient({ endpoint: info.stepfunctions.endpoint, region: info.region, credentials });
  s3 = new S3Client({ endpoint: info.s3.endpoint, region: info.region, forcePathStyle: true, credentials });
  bucket = info.s3.buckets.auditArchive!;
  archive = new S3AuditArchive(s3, bucket);
});
afterAll(async () => {
  await stack?.stop();
});

/** Polls until `probe` answers something (an archiver runs asynchronously, as EventBridge invokes it). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The daily archiver, invoked as the schedule would, with the day a back-fill names. */
async function archiveDay(day: string) {
  const fn = [...stack.lambdas.functions.values()].find((f) => f.entry.endsWith('functions/handlers/archive-day.ts'));
  return (await stack.lambdas.invoke(fn!.arn, { day })) as { day: string; archived: string[] };
}

describe('the audit archive on the local stack', () => {
  it("takes a proposal's closed executions into the archive, archives the day with a chained digest, and verifies", async () => {
    const village = '62.03.01.2011';
    const uploadKey = await uploadAsOperator(
      stack,
      { programmeId: 'kapuas-2026-apbd', villageCode: village, fileName: 'usulan-arsip.csv' },
      proposalCsv([[nik('03-03-1983', 'L', 71), 'Arif Rahman', '03-03-1983', 'L', 'Petani']]),
    );
    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    expect(waiting.status).toBe('AWAITING_APPROVAL');
    const { code } = await approvalLink(stack, waiting.id);
    expect((await decide(stack, waiting.id, code, 'REJECTED', 'anggaran belum tersedia')).status).toBe(200);
    await waitForProposal(stack, uploadKey, ['REJECTED']);

    // The proposal's execution, once it has closed.
    const stateMachineArn = stack.info.stepfunctions.stateMachines.enrollment!;
    const closed = await eventually(async () => {
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      for (const e of executions) {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
        if (d.input?.includes(uploadKey) && d.status !== 'RUNNING') return d;
      }
      return undefined;
    }, 'the enrollment execution to close');
    const day = closed.stopDate!.toISOString().slice(0, 10);
    const machine = stateMachineArn.split(':').pop()!;
    const key = `executions/${day}/${machine}/${closed.name}.json`;

    // Its whole history is in the archive, as Step Functions gave it.
    const stored = await eventually(() => archive.read(key), key);
    const file = ArchivedExecution.parse(JSON.parse(stored.toString('utf8')));
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: closed.executionArn! }));
    expect(file.summary).toMatchObject({ executionArn: closed.executionArn, status: closed.status, name: closed.name });
    expect(file.events.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(file.events[0]).toMatchObject({
      type: 'ExecutionStarted',
      executionStartedEventDetails: expect.any(Object),
    });

    // The console's port reads it from the archive, through the EXECUTION_ARCHIVED event.
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.info.dynamodb.endpoint,
        region: stack.info.region,
        credentials: { accessKeyId: 't', secretAccessKey: 't' },
      }),
    );
    const audit = new DynamoDbAuditLog(db, stack.info.dynamodb.tables.audit!);
    const histories = executionHistories({ audit, store: archive, stepFunctions: new SfnExecutionHistories(sfn) });
    const record = await eventually(async () => {
      const r = await histories.history(closed.executionArn!);
      return r?.source === 'archive' ? r : undefined;
    }, 'EXECUTION_ARCHIVED');
    expect(record).toMatchObject({ executionArn: closed.executionArn, stateMachine: machine, status: closed.status });
    expect(record.steps.some((s) => s.type === 'entered')).toBe(true);
    const [archived] = (await audit.byEntity(`execution#${closed.executionArn}`)).filter(
      (e) => e.action === 'EXECUTION_ARCHIVED',
    );
    expect(archived?.details).toMatchObject({ key, status: closed.status, stateMachine: machine });

    // The daily archiver: two days back (the first digest), then the day itself, which archives the day
    // before it first, so the chain has no gap.
    expect(await archiveDay(addDays(day, -2))).toMatchObject({ archived: [addDays(day, -2)] });
    expect(await archiveDay(day)).toMatchObject({ archived: [addDays(day, -1), day] });
    expect(await archiveDay(day)).toMatchObject({ archived: [], already: true });

    const lines = (await archive.read(eventsKey(day)))!.toString('utf8').trim().split('\n');
    const entities = lines.map((l) => (JSON.parse(l) as { entity: string }).entity);
    expect(entities).toContain(`proposal#${waiting.id}`);
    expect(entities).toContain(`execution#${closed.executionArn}`);
    const digest = ArchiveDigest.parse(JSON.parse((await archive.read(digestKey(day)))!.toString('utf8')));
    const dayBefore = ArchiveDigest.parse(
      JSON.parse((await archive.read(digestKey(addDays(day, -1))))!.toString('utf8')),
    );
    expect(digest.files.map((f) => f.key)).toEqual(expect.arrayContaining([eventsKey(day), key]));
    expect(digest.previous).toEqual({ key: digestKey(addDays(day, -1)), hash: dayBefore.hash });

    expect(await verifyArchive(archive)).toEqual({ ok: true, days: 3 });
    // npm run audit:verify finds the stack's archive from its stack.json.
    process.env.JARING_HOME = stack.home;
    expect(await verifyArchiveBucket()).toEqual({
      broken: 0,
      lines: [`Archive ${bucket}: 3 days, the digest chain whole.`],
    });

    // A change made directly in the bucket (the local S3 has no Object Lock to refuse it) is named.
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: stored.toString('utf8').replace(closed.status!, 'X') }),
    );
    expect(await verifyArchive(archive)).toEqual({
      ok: false,
      days: 2,
      broken: { day, key, reason: 'file-changed' },
    });
    const report = await verifyArchiveBucket();
    expect(report.broken).toBe(1);
    expect(report.lines[1]).toBe(
      `BROKEN archive ${day}: ${key}: the file was changed after it was archived (its SHA-256 or size no longer matches the digest)`,
    );
  });
});
