/**
 * Bills one month for N participants (default 100,000) on the local stack and reports what it cost:
 *   npx tsx test/bench/billing.ts [participants]      (or BENCH_BILLING_PARTICIPANTS=2000 npm run bench)
 *
 * Setup, not measured: N ACTIVE coverages of one programme, spread round-robin over Kapuas's villages,
 * opened through the coverage store (createMany, as enrollment does).
 * Measured, the "month": from firing the monthly schedule (POST /schedules/<name>/fire) to its execution
 * SUCCEEDED, i.e. bill issued, every participant BILLED, payment code asked of the BPJS sandbox, mail sent.
 * The floor, in the same run and the same DynamoDB Local: the billable index read whole, the same ten
 * shard Queries the bill reads, paged to the end (no domain code, no writes). Ratio = month / floor.
 *
 * Memory: the local stack runs the handlers in this process (infra/local/lambda-runtime.ts), so peak RSS
 * here is the functions' plus the stack's (Step Functions, S3, scheduler); DynamoDB Local is a Java
 * child and not counted. Reported as the peak during the month minus the RSS just before it.
 *
 * Counting: the handlers share one DynamoDB document client (functions/adapters/dynamodb-client.ts); its
 * send is wrapped here to count commands and to ask each for ReturnConsumedCapacity=INDEXES (a field the
 * adapters do not set, so their behaviour is unchanged), summing what DynamoDB Local answers. Writes that
 * fail their condition consume capacity on AWS but answer an error here: none is expected in a first run.
 * S3 requests are counted by S3Client's send, Lambda invocations and durations by the local runtime's
 * invoke, Step Functions transitions from the execution's history.
 */
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbBillStore } from '../../functions/adapters/dynamodb-bill-store';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { openCoverage, type Coverage } from '../../functions/core/contributions/coverage';
import { villagesOfRegency } from '../../functions/core/regions/villages';
import { BILLABLE_SHARDS } from '../../functions/ports/coverage-store';
import { COVERAGE_INDEXES } from '../../functions/adapters/table-design';
import { LambdaRuntime } from '../../infra/local/lambda-runtime';
import { startTestStack } from '../support/local-stack';
import { PRICES } from './prices';

// The handlers' logger and metrics are made when their modules load, which here is before the stack quiets them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { documentClient } = await import('../../functions/adapters/dynamodb-client');

const participants = Number(process.argv[2] ?? process.env.BENCH_BILLING_PARTICIPANTS ?? 100_000);
const PROGRAMME = 'kapuas-2026-apbd';
const MONTH = '2026-01';

// --- counting ---------------------------------------------------------------------------------------
type Tally = { requests: number; readUnits: number; writeUnits: number; indexUnits: number };
const READS = new Set(['GetCommand', 'BatchGetCommand', 'QueryCommand', 'ScanCommand', 'TransactGetCommand']);
let dynamo: Record<string, Tally> = {};
let s3: Record<string, number> = {};
let lambda: Record<string, { invocations: number; ms: number; memoryMb: number }> = {};

const send = documentClient.send.bind(documentClient) as (command: unknown) => Promise<unknown>;
(documentClient as { send: unknown }).send = async (command: { constructor: { name: string }; input: any }) => {
  const name = command.constructor.name;
  command.input.ReturnConsumedCapacity ??= 'INDEXES';
  const answer = (await send(command)) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
  const tally = (dynamo[name] ??= { requests: 0, readUnits: 0, writeUnits: 0, indexUnits: 0 });
  tally.requests++;
  for (const c of [answer.ConsumedCapacity ?? []].flat()) {
    const units = c.CapacityUnits ?? 0;
    if (READS.has(name)) tally.readUnits += units;
    else tally.writeUnits += units;
    for (const index of Object.values(c.GlobalSecondaryIndexes ?? {})) tally.indexUnits += index.CapacityUnits ?? 0;
  }
  return answer;
};

// S3Client inherits send from the SDK's base Client: an own property here counts S3 alone.
const s3Send = S3Client.prototype.send;
S3Client.prototype.send = function (this: S3Client, command: { constructor: { name: string } }, ...rest: unknown[]) {
  s3[command.constructor.name] = (s3[command.constructor.name] ?? 0) + 1;
  return (s3Send as (...a: unknown[]) => Promise<unknown>).call(this, command, ...rest);
} as typeof s3Send;

const invoke = LambdaRuntime.prototype.invoke;
LambdaRuntime.prototype.invoke = async function (this: LambdaRuntime, nameOrArn: string, event: unknown) {
  const fn = this.lookup(nameOrArn);
  const t = performance.now();
  try {
    return await invoke.call(this, nameOrArn, event);
  } finally {
    const entry = (lambda[fn.logicalId] ??= { invocations: 0, ms: 0, memoryMb: fn.memorySize });
    entry.invocations++;
    entry.ms += performance.now() - t;
  }
};

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
const mb = (n: number) => Math.round(n / 1024 / 1024);

/** NIKs of Kapuas (6203), unique for up to 252,000: the birth day and a serial; the last digit spreads the shards. */
const nikOf = (i: number) =>
  `620301${String(Math.floor(i / 9000) + 1).padStart(2, '0')}0685${String((i % 9000) + 1000).padStart(4, '0')}`;

const stack = await startTestStack();
try {
  const { info } = stack;
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  // The bench's own client (setup and floor), apart from the handlers' counted one.
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: info.dynamodb.endpoint, region: info.region, credentials }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const sfn = new SFNClient({ endpoint: info.stepfunctions.endpoint, region: info.region, credentials });
  const tables = info.dynamodb.tables;
  const coverages = new DynamoDbCoverageStore(db, { coverage: tables.coverage!, audit: tables.audit! });
  const bills = new DynamoDbBillStore(db, { bills: tables.bills!, audit: tables.audit! });

  let t = Date.now();
  const villages = villagesOfRegency('62.03');
  const batch = 5_000;
  for (let from = 0; from < participants; from += batch) {
    const opened: Coverage[] = [];
    for (let i = from; i < Math.min(participants, from + batch); i++) {
      const enrolment = {
        programmeId: PROGRAMME,
        nik: nikOf(i),
        villageCode: villages[i % villages.length]!.code,
        start: '2026-01-01',
        end: '2026-12-31',
      };
      opened.push(openCoverage(enrolment, '2025-12-20T03:00:00.000Z'));
    }
    await coverages.createMany(opened);
  }
  const seededMs = Date.now() - t;
  console.log(`seeded ${participants} coverages over ${villages.length} villages in ${seededMs} ms (not measured)`);

  // The floor: the billable index read whole, shards in parallel, as few round trips as DynamoDB allows.
  t = Date.now();
  let floorItems = 0;
  let floorPages = 0;
  await Promise.all(
    Array.from({ length: BILLABLE_SHARDS }, async (_, shard) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tables.coverage!,
            IndexName: COVERAGE_INDEXES.billable,
            KeyConditionExpression: 'billable = :b',
            ExpressionAttributeValues: { ':b': `${PROGRAMME}#${shard}` },
            ExclusiveStartKey,
          }),
        );
        floorItems += page.Items?.length ?? 0;
        floorPages++;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
  const floorMs = Date.now() - t;
  if (floorItems !== participants) throw new Error(`The floor read ${floorItems} items, not ${participants}`);

  // The month.
  const { schedules } = (await (await fetch(`${info.scheduler.endpoint}/schedules`)).json()) as {
    schedules: { name: string }[];
  };
  const monthly = schedules.find((s) => s.name.endsWith('billing-monthly'))!.name;
  dynamo = {};
  s3 = {};
  lambda = {};
  const rssBefore = process.memoryUsage().rss;
  peak = rssBefore;
  t = Date.now();
  const fired = await fetch(`${info.scheduler.endpoint}/schedules/${encodeURIComponent(monthly)}/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time: `${MONTH}-01T01:00:00+07:00` }),
  });
  if (fired.status !== 202) throw new Error(`Firing ${monthly} answered ${fired.status}: ${await fired.text()}`);
  const { executionArn } = (await fired.json()) as { executionArn: string };
  for (;;) {
    const run = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (run.status === 'SUCCEEDED') break;
    if (run.status !== 'RUNNING') throw new Error(`The month ended ${run.status}: ${run.error} ${run.cause}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const monthMs = Date.now() - t;
  const peakDelta = peak - rssBefore;

  // What the month left: one bill for everyone, and a sample of participants BILLED (checked, not timed).
  const bill = await bills.get(PROGRAMME, MONTH);
  if (bill?.participants !== participants) throw new Error(`The bill has ${bill?.participants}, not ${participants}`);
  for (const i of [0, Math.floor(participants / 2), participants - 1]) {
    const c = await coverages.get(PROGRAMME, nikOf(i));
    if (!c?.months.some((m) => m.month === MONTH)) throw new Error(`${nikOf(i).slice(0, 4)}… was not billed`);
  }
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  // Standard workflows bill each state entered (the start is free).
  const transitions = (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).length;

  // --- figures --------------------------------------------------------------------------------------
  const sum = (pick: (t: Tally) => number) => Object.values(dynamo).reduce((a, x) => a + pick(x), 0);
  const readUnits = sum((x) => x.readUnits);
  const writeUnits = sum((x) => x.writeUnits);
  const s3Puts = Object.entries(s3)
    .filter(([n]) => /Put|Upload|Copy|Post|CreateMultipart|CompleteMultipart/.test(n))
    .reduce((a, [, n]) => a + n, 0);
  const s3Gets = Object.values(s3).reduce((a, n) => a + n, 0) - s3Puts;
  const invocations = Object.values(lambda).reduce((a, f) => a + f.invocations, 0);
  const gbSeconds = Object.values(lambda).reduce((a, f) => a + (f.ms / 1000) * (f.memoryMb / 1024), 0);
  const per10k = 10_000 / participants;
  const cost = {
    dynamodbWrites: (writeUnits / 1e6) * PRICES.dynamodbPerMillionWriteRequestUnits * per10k,
    dynamodbReads: (readUnits / 1e6) * PRICES.dynamodbPerMillionReadRequestUnits * per10k,
    lambda: (gbSeconds * PRICES.lambdaPerGbSecond + (invocations / 1e6) * PRICES.lambdaPerMillionRequests) * per10k,
    stepFunctions: (transitions / 1000) * PRICES.stepFunctionsStandardPerThousandTransitions * per10k,
    s3: ((s3Puts / 1000) * PRICES.s3PerThousandPuts + (s3Gets / 1000) * PRICES.s3PerThousandGets) * per10k,
  };
  const total = Object.values(cost).reduce((a, n) => a + n, 0);

  const result = {
    participants,
    villages: villages.length,
    month: { wallMs: monthMs, peakRssDeltaMb: mb(peakDelta), peakRssMb: mb(peak), rssBeforeMb: mb(rssBefore) },
    floor: { wallMs: floorMs, items: floorItems, pages: floorPages },
    ratio: Number((monthMs / floorMs).toFixed(1)),
    dynamodb: {
      byCommand: dynamo,
      requestsPerParticipant: sum((x) => x.requests) / participants,
      readUnitsPerParticipant: readUnits / participants,
      writeUnitsPerParticipant: writeUnits / participants,
      indexUnits: sum((x) => x.indexUnits),
    },
    s3: { byCommand: s3, puts: s3Puts, gets: s3Gets },
    lambda: { byFunction: lambda, invocations, gbSeconds: Number(gbSeconds.toFixed(1)) },
    stepFunctions: { transitions },
    costPer10kParticipantsUsd: { ...cost, total },
    prices: PRICES,
  };

  const usd = (n: number) => `$${n.toFixed(4)}`;
  console.table({
    'month (fire -> SUCCEEDED)': `${monthMs} ms`,
    'floor (billable index read whole)': `${floorMs} ms, ${floorPages} pages`,
    'ratio month / floor': `${result.ratio}x`,
    'peak RSS during the month': `+${mb(peakDelta)} MB (to ${mb(peak)} MB; DynamoDB Local not counted)`,
    'DynamoDB requests / participant': result.dynamodb.requestsPerParticipant.toFixed(3),
    'DynamoDB read units / participant': result.dynamodb.readUnitsPerParticipant.toFixed(3),
    'DynamoDB write units / participant': result.dynamodb.writeUnitsPerParticipant.toFixed(3),
    'of those units, on indexes': result.dynamodb.indexUnits,
    'S3 PUT-class / GET-class': `${s3Puts} / ${s3Gets}`,
    'Lambda invocations, GB-s': `${invocations}, ${result.lambda.gbSeconds}`,
    'Step Functions transitions': transitions,
    [`cost per 10,000 / month (${PRICES.region})`]: usd(total),
  });
  console.table(Object.fromEntries(Object.entries(dynamo).map(([k, v]) => [k, v])));
  console.table(Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, usd(v)])));
  // Under .jaring/ (git-ignored, the local stack's home) so a run leaves nothing to commit.
  const out = join(import.meta.dirname, '..', '..', '.jaring', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `billing-${participants}.json`), JSON.stringify(result, null, 2));
  console.log(`written .jaring/bench/billing-${participants}.json`);
} finally {
  clearInterval(sampler);
  await stack.stop();
}
