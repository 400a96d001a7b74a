/**
 * Proposals end to end on the local stack, beside their floor, in one run (run.ts starts it):
 *   npx tsx test/bench/enrollment.ts <out.json> <rows>:<file>[:<first NIK>] ...
 *
 * For each file, in one stack:
 * - the floor: the same file parsed by the same reader (openProposalSheet, every row), then as many
 *   participant items batch-written into the same DynamoDB Local's participants table, 25 to a
 *   BatchWriteItem, 16 requests in flight (under a programme id of their own, so no one collides);
 * - end to end (BPJS client unpaced, below): the file put into the uploads bucket (the clock starts when S3 has it) to
 *   AWAITING_APPROVAL, then from the approver's POST on the mailed link to ENROLLED; the time between
 *   (the bench reading the mail) is not counted. The BPJS sandbox answers at once (no latency, no faults).
 * - counted over the proposal (from the upload to its execution SUCCEEDED, the notice included): state
 *   transitions and Lambda invocations from the execution's history, each state's time, DynamoDB requests
 *   and capacity, S3 requests, Lambda GB-seconds (local wall time x the function's memory: an overestimate,
 *   DynamoDB Local is slower than DynamoDB).
 *
 * The 2026 APBD quota (5,000) would report most of a big file as over quota, another path: the bench
 * lifts it in its own process (the handlers run in this process and read the same catalogue object).
 *
 * Capacity: the handlers share one document client (functions/adapters/dynamodb-client.ts); its send is
 * wrapped here to count commands and ask each for ReturnConsumedCapacity=INDEXES (a field the adapters do
 * not set). DynamoDB Local answers single-item writes and BatchWrite as DynamoDB does, but not two
 * things: a transaction (it answers ~4 units for 100 items) and a BatchGet (it counts found items only).
 * Those are counted by DynamoDB's rules instead (units.ts) and both figures are kept. Index writes are counted
 * by DynamoDB's rules for every write (units.ts `indexWriteUnits`, from each table's DescribeTable): DynamoDB
 * Local reports a transaction's index capacity per request, not per item.
 */
import { DescribeTableCommand, DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import pMap from 'p-map';
import { DynamoDbProposalStore } from '../../functions/adapters/dynamodb-proposal-store';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import type { Proposal } from '../../functions/core/proposals/proposal';
import { villagesOfRegency } from '../../functions/core/regions/villages';
import { openProposalSheet } from '../../functions/core/spreadsheet/read-proposal-sheet';
import { LambdaRuntime } from '../../infra/local/lambda-runtime';
import { approvalLink, decide, startTestStack } from '../support/local-stack';
import { benchPerson } from './proposal-file';
import { awsUnits, indexWriteUnits, type TableDesign } from './units';

// The handlers' logger and metrics are made when their modules load, which here is before the stack quiets them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
/**
 * The BPJS client paces itself at 2 requests a second (100 workers each), what BPJS is assumed to allow:
 * 50 s for 10,000 workers whatever Jaring does. The sandbox answers at once and has no limit, so the bench
 * lets the client go as fast as the sandbox answers, and run.ts shows the paced minimum beside it.
 */
process.env.BPJS_MAX_REQUESTS_PER_SECOND ??= '1000';
const { documentClient } = await import('../../functions/adapters/dynamodb-client');

const [out, ...specs] = process.argv.slice(2);
if (!out || !specs.length) throw new Error('usage: enrollment.ts <out.json> <rows>:<file>[:<first>] ...');
const runs = specs.map((s) => {
  const [rows, file, first] = s.split(':');
  return { rows: Number(rows), file: file!, first: Number(first ?? 0) };
});

const PROGRAMME = 'kapuas-2026-apbd';
(findProgramme(PROGRAMME)!.quota as { limit: number }).limit = 10_000_000;

// --- counting ---------------------------------------------------------------------------------------
type Tally = { requests: number; items: number; localUnits: number; awsUnits: number; indexUnits: number };
const zero = (): Tally => ({ requests: 0, items: 0, localUnits: 0, awsUnits: 0, indexUnits: 0 });
let dynamo: Record<string, Tally> = {};
/** Each table's keys and indexes (DescribeTable, once the stack is up): index writes are counted from them. */
const designs = new Map<string, TableDesign>();
/** The same, by the function that sent it (which function is running is carried through its awaits). */
let dynamoByFunction: Record<string, Record<string, Tally>> = {};
const running = new AsyncLocalStorage<string>();
let s3: Record<string, number> = {};
let lambda: Record<string, { invocations: number; ms: number; memoryMb: number }> = {};

const send = documentClient.send.bind(documentClient) as (command: unknown) => Promise<unknown>;
(documentClient as { send: unknown }).send = async (command: { constructor: { name: string }; input: any }) => {
  const name = command.constructor.name;
  command.input.ReturnConsumedCapacity ??= 'INDEXES';
  const answer = (await send(command)) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
  const counted = awsUnits(name, command.input);
  const indexWrites = indexWriteUnits(name, command.input, designs);
  let local = 0;
  let index = 0;
  for (const c of [answer.ConsumedCapacity ?? []].flat()) {
    local += c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0;
    for (const i of Object.values(c.GlobalSecondaryIndexes ?? {})) index += i.CapacityUnits ?? 0;
  }
  const fn = running.getStore() ?? 'outside a function';
  for (const tally of [(dynamo[name] ??= zero()), ((dynamoByFunction[fn] ??= {})[name] ??= zero())]) {
    tally.requests++;
    tally.items += counted.items;
    tally.localUnits += local;
    tally.awsUnits += counted.units ?? local;
    tally.indexUnits += indexWrites ?? index;
  }
  return answer;
};

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
    return await running.run(fn.logicalId, () => invoke.call(this, nameOrArn, event));
  } finally {
    const entry = (lambda[fn.logicalId] ??= { invocations: 0, ms: 0, memoryMb: fn.memorySize });
    entry.invocations++;
    entry.ms += performance.now() - t;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long one size may take, end to end, before the bench gives up on it (BENCH_E2E_MINUTES, default 90). */
const DEADLINE_MS = Number(process.env.BENCH_E2E_MINUTES ?? 90) * 60_000;
let deadline = Number.POSITIVE_INFINITY;
const stack = await startTestStack();
const results: unknown[] = [];
const tables = stack.info.dynamodb.tables;
const { info } = stack;
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
{
  const client = new DynamoDBClient({ endpoint: info.dynamodb.endpoint, region: info.region, credentials });
  for (const name of Object.values(tables)) {
    if (!name) continue;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    designs.set(name, {
      keys: (Table?.KeySchema ?? []).map((k) => k.AttributeName!),
      indexes: (Table?.GlobalSecondaryIndexes ?? []).map((g) => ({
        keys: (g.KeySchema ?? []).map((k) => k.AttributeName!),
        projection: g.Projection?.ProjectionType ?? 'ALL',
        include: g.Projection?.NonKeyAttributes ?? [],
      })),
    });
  }
}
// The bench's own clients (floor, polling), apart from the handlers' counted one.
const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: info.dynamodb.endpoint, region: info.region, credentials }),
);
try {
  const sfn = new SFNClient({ endpoint: info.stepfunctions.endpoint, region: info.region, credentials });
  const uploads = new S3Client({ endpoint: info.s3.endpoint, region: info.region, forcePathStyle: true, credentials });
  const proposals = new DynamoDbProposalStore(db, { proposals: tables.proposals!, audit: tables.audit! });
  const villages = villagesOfRegency('62.03').filter((v) => v.code.split('.')[3]!.startsWith('2'));

  for (const [n, run] of runs.entries()) {
    const village = villages[n]!.code;
    console.log(`\n## ${run.rows.toLocaleString('en')} rows (${village})`);
    deadline = Date.now() + DEADLINE_MS;
    try {
      // --- the floor -----------------------------------------------------------------------------------
      // The first floor of a fresh stack would also pay DynamoDB Local's and V8's warm-up: one unmeasured round first.
      if (n === 0) await floor(run, village, 'warm-up', 'batch');
      const { parseMs, writeMs, batches } = await floor(run, village, `bench-floor-${run.rows}`, 'batch');
      const floorMs = parseMs + writeMs;
      console.log(`floor: parse ${ms(parseMs)}, batch-write ${ms(writeMs)}`);
      // DynamoDB Local writes a BatchWriteItem item by item, ~6x slower per item than a transaction of 100
      // (measured: 16 ms against 2.8 ms an item): the same items written that way are a second, lower floor.
      const fast = await floor(run, village, `bench-floor-tx-${run.rows}`, 'transaction');
      const fastFloorMs = fast.parseMs + fast.writeMs;
      console.log(`floor with transactions of 100: ${ms(fastFloorMs)}`);

      // --- end to end ----------------------------------------------------------------------------------
      dynamo = {};
      dynamoByFunction = {};
      s3 = {};
      lambda = {};
      const key = `proposals/${PROGRAMME}/${village}/usulan-${run.rows}.xlsx`;
      const body = readFileSync(run.file);
      await uploads.send(
        new PutObjectCommand({ Bucket: info.s3.buckets.uploads!, Key: key, Body: body, ContentLength: body.length }),
      );
      const uploaded = performance.now();
      const waiting = await until(
        async () => (await proposals.findByUploadKey(key))[0],
        ['AWAITING_APPROVAL'],
        ['INVALID', 'FAILED'],
      );
      const awaitingMs = performance.now() - uploaded;
      console.log(`upload -> AWAITING_APPROVAL ${ms(awaitingMs)}`, waiting.counts);
      const { code } = await approvalLink(stack, waiting.id);
      const approving = performance.now();
      const decision = await decide(stack, waiting.id, code, 'APPROVED');
      if (decision.status !== 200) throw new Error(`The approval answered ${decision.status}`);
      const done = await until(() => proposals.get(waiting.id), ['ENROLLED'], ['PARTIALLY_ENROLLED', 'FAILED']);
      const enrolledMs = performance.now() - approving;
      console.log(`approval -> ENROLLED ${ms(enrolledMs)} (${done.enrolled} enrolled)`);

      // The execution goes on to mail the notice: counted with the rest, not timed.
      const executionArn = await executionOf(sfn, info.stepfunctions.stateMachines.enrollment!, key);
      for (;;) {
        const e = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (e.status === 'SUCCEEDED') break;
        if (e.status !== 'RUNNING') throw new Error(`The execution ended ${e.status}`);
        if (Date.now() > deadline) throw new Error('The execution was still running at the deadline');
        await sleep(100);
      }
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
      const e2eMs = awaitingMs + enrolledMs;
      results.push({
        rows: run.rows,
        village,
        enrolled: done.enrolled,
        e2e: { ms: e2eMs, uploadToAwaitingApprovalMs: awaitingMs, approvalToEnrolledMs: enrolledMs },
        floor: { ms: floorMs, parseMs, batchWriteMs: writeMs, batchWrites: batches },
        ratio: e2eMs / floorMs,
        transactionFloor: { ms: fastFloorMs, parseMs: fast.parseMs, writeMs: fast.writeMs, transactions: fast.batches },
        transactionFloorRatio: e2eMs / fastFloorMs,
        states: stateTimes(history),
        transitions: history.filter((e) => e.type?.endsWith('StateEntered')).length,
        // Each Task state invokes its Lambda once, and once more per retry (TaskScheduled in the history).
        lambdaInvocations: history.filter((e) => e.type === 'TaskStateEntered' || e.type === 'TaskScheduled').length,
        dynamodb: dynamo,
        dynamodbByFunction: dynamoByFunction,
        s3,
        lambda,
      });
      console.log(`e2e ${ms(e2eMs)} / floor ${ms(floorMs)} = ${(e2eMs / floorMs).toFixed(2)}x`);
    } catch (error) {
      // One size that does not finish (a Lambda's 15 minutes, the deadline below) still leaves the others' figures.
      console.log(`${run.rows} rows did not finish: ${(error as Error).message}`);
      results.push({ rows: run.rows, error: (error as Error).message });
    }
  }
  writeFileSync(out, JSON.stringify(results, null, 2));
} finally {
  await stack.stop();
}

/** The floor: the file parsed by the same reader, then as many participant items batch-written, 25 a request. */
async function floor(
  run: { rows: number; file: string; first: number },
  village: string,
  programmeId: string,
  how: 'batch' | 'transaction',
) {
  const size = how === 'batch' ? 25 : 100;
  let t = performance.now();
  const sheet = await openProposalSheet({ fileName: 'usulan.xlsx', body: () => createReadStream(run.file) });
  let parsed = 0;
  for await (const _row of sheet.rows) parsed++;
  const parseMs = performance.now() - t;
  if (parsed !== run.rows) throw new Error(`The floor parsed ${parsed} rows, not ${run.rows}`);
  t = performance.now();
  const batches = Array.from({ length: Math.ceil(run.rows / size) }, (_, b) =>
    Array.from({ length: Math.min(size, run.rows - b * size) }, (_, k) => {
      const i = run.first + b * size + k;
      const { nik, birth, female } = benchPerson(i);
      return {
        nik,
        programmeId,
        proposalId: programmeId,
        name: 'Pekerja Santoso',
        birthDate: birth.toISOString().slice(0, 10),
        sex: female ? 'P' : 'L',
        occupation: 'petani',
        villageCode: village,
        kpj: `KPJ${String(i).padStart(9, '0')}`,
        status: 'ACTIVE',
        coverageStart: '2026-01-01',
        coverageEnd: '2026-12-31',
        enrolledAt: new Date().toISOString(),
      };
    }),
  );
  await pMap(
    batches,
    async (items) => {
      if (how === 'transaction') {
        const table = tables.participants!;
        await db.send(
          new TransactWriteCommand({ TransactItems: items.map((Item) => ({ Put: { TableName: table, Item } })) }),
        );
        return;
      }
      let pending = items.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await sleep(10 * 2 ** attempt);
        const answer = await db.send(new BatchWriteCommand({ RequestItems: { [tables.participants!]: pending } }));
        pending = (answer.UnprocessedItems?.[tables.participants!] ?? []) as typeof pending;
      }
    },
    { concurrency: how === 'batch' ? 16 : 8 },
  );
  const writeMs = performance.now() - t;

  return { parseMs, writeMs, batches: batches.length };
}

function ms(n: number) {
  return `${(n / 1000).toFixed(2)} s`;
}

/** Polls (every 50 ms: the bench's own client, not counted) until the proposal reaches one of `want`. */
async function until(get: () => Promise<Proposal | undefined>, want: string[], stop: string[]): Promise<Proposal> {
  for (;;) {
    const p = await get();
    if (p && want.includes(p.status)) return p;
    if (p && stop.includes(p.status)) throw new Error(`The proposal ended ${p.status}: ${JSON.stringify(p.reason)}`);
    if (Date.now() > deadline)
      throw new Error(`Still ${p?.status ?? 'not registered'} after ${DEADLINE_MS / 60_000} min`);
    await sleep(50);
  }
}

async function executionOf(sfn: SFNClient, stateMachineArn: string, key: string): Promise<string> {
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
  for (const e of executions) {
    const { input } = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
    if ((JSON.parse(input ?? '{}') as { detail?: { object?: { key?: string } } }).detail?.object?.key === key)
      return e.executionArn!;
  }
  throw new Error(`No execution for ${key}`);
}

/** Time in each state, entered to exited, summed by name (a Wait for a token is the approval's). */
function stateTimes(history: HistoryEvent[]) {
  const entered = new Map<string, number>();
  const spent: Record<string, number> = {};
  for (const e of history) {
    const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    if (!name) continue;
    const at = new Date(e.timestamp!).getTime();
    if (e.type?.endsWith('StateEntered')) entered.set(name, at);
    else if (entered.has(name)) spent[name] = (spent[name] ?? 0) + at - entered.get(name)!;
  }
  return spent;
}
