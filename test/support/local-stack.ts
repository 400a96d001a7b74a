import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_PORTS, startLocalStack, type LocalStackOptions } from '../../infra/local/stack';
import type { DemoUserKey } from '../../infra/local/demo-users';

type Ports = Record<keyof typeof DEFAULT_PORTS, number>;

/** Every port 0: the suite runs beside a stack that is already up. */
const FREE_PORTS = Object.fromEntries(Object.keys(DEFAULT_PORTS).map((name) => [name, 0])) as Ports;

/** The ports a running stack got, to start it again on the same ones (clients in this process keep their endpoints). */
export function portsOf(info: TestStack['info']): Ports {
  const port = (url: string) => Number(new URL(url.replace(/^smtp:/, 'http:')).port);
  return {
    s3: port(info.s3.endpoint),
    dynamodb: port(info.dynamodb.endpoint),
    stepfunctions: port(info.stepfunctions.endpoint),
    api: port(info.api),
    smtp: port(info.mail.smtp),
    mail: port(info.mail.web),
    bpjs: port(info.bpjs),
    cognito: port(info.cognito.endpoint),
    scheduler: port(info.scheduler.endpoint),
    events: port(info.events.endpoint),
  };
}

export async function startTestStack(
  home = mkdtempSync(join(tmpdir(), 'jaring-test-')),
  options: LocalStackOptions = {},
) {
  const stack = await startLocalStack({ home, ports: FREE_PORTS, ...options });
  const { info } = stack;
  // A client with the SDK's defaults (streamed bodies go aws-chunked with a trailing checksum), as users' clients are.
  const s3 = new S3Client({
    endpoint: info.s3.endpoint,
    region: info.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { ...stack, home, s3 };
}
export type TestStack = Awaited<ReturnType<typeof startTestStack>>;

/**
 * An upload as a signed-in operator makes it: a presigned PUT from `POST /uploads`, then the PUT
 * with the signed headers. Returns the upload key the API chose.
 */
export async function uploadAsOperator(
  stack: TestStack,
  request: { programmeId: string; villageCode: string; fileName: string },
  body: Buffer | string,
  as: Caller = 'operator',
) {
  const granted = await api(stack, '/uploads', {
    as,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (granted.status !== 201)
    throw new Error(`POST /uploads answered ${granted.status}: ${JSON.stringify(granted.body)}`);
  const put = await fetch(granted.body.url, { method: 'PUT', headers: granted.body.headers, body: Buffer.from(body) });
  if (!put.ok) throw new Error(`Presigned PUT answered ${put.status}: ${await put.text()}`);
  return granted.body.uploadKey as string;
}

/** A direct upload to the bucket, as someone with AWS credentials for it would make one (AWS CLI, SDK). */
export async function upload(stack: TestStack, key: string, body: Buffer | string, metadata?: Record<string, string>) {
  const bytes = Buffer.from(body);
  await stack.s3.send(
    new PutObjectCommand({
      Bucket: stack.info.s3.buckets.uploads!,
      Key: key,
      Body: Readable.from([bytes]),
      ContentLength: bytes.length,
      Metadata: metadata,
    }),
  );
}

/** Who a test request comes from: a demo user of the stack, by role (Kapuas) or key (Kubu Raya's, ...), or nobody. */
export type Caller = DemoUserKey | 'anonymous';

/**
 * A request to the local HTTP API, signed in as a demo user (the verifier, who sees the whole
 * regency, unless `as` says otherwise); `as: 'anonymous'` sends no token.
 */
export async function api<T = any>(
  stack: TestStack,
  path: string,
  init: RequestInit & { as?: Caller } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const { as = 'verifier', ...rest } = init;
  const headers = new Headers(rest.headers);
  if (as !== 'anonymous') headers.set('authorization', `Bearer ${stack.info.users[as]!.token}`);
  const res = await fetch(`${stack.info.api}${path}`, { redirect: 'manual', ...rest, headers });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* html or empty */
  }
  return { status: res.status, body, headers: res.headers };
}

/** Polls the read API (as `as`, Kapuas's verifier by default) until the upload's proposal reaches one of `statuses`. */
export async function waitForProposal(
  stack: TestStack,
  uploadKey: string,
  statuses: string[],
  timeoutMs = 45_000,
  as: Caller = 'verifier',
) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const { body } = await api(stack, `/proposals?uploadKey=${encodeURIComponent(uploadKey)}`, { as });
    last = body.proposals?.[0];
    if (last && statuses.includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Proposal for ${uploadKey} did not reach ${statuses.join('/')}; last seen: ${JSON.stringify(last)}`);
}

export async function mails(
  stack: TestStack,
): Promise<{ to: string[]; subject: string; text: string; html: string }[]> {
  return (await fetch(stack.info.mail.messages)).json() as never;
}

/** Waits for a mail that satisfies `match` (the proposal's status changes just before its mail goes out). */
export async function waitForMail(
  stack: TestStack,
  match: (m: { to: string[]; subject: string; text: string }) => boolean,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await mails(stack)).reverse().find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `Expected mail did not arrive; inbox: ${JSON.stringify((await mails(stack)).map((m) => [m.to, m.subject, m.text.slice(-300)]))}`,
  );
}

/** The approval link the approver received for a proposal. */
export async function approvalLink(stack: TestStack, proposalId: string): Promise<{ url: string; code: string }> {
  const pattern = new RegExp(`(http\\S+/approvals/${proposalId}\\?code=([\\w-]+))`);
  const mail = await waitForMail(stack, (m) => pattern.test(m.text));
  const found = mail.text.match(pattern)!;
  return { url: found[1]!, code: found[2]! };
}

/**
 * Moves a waiting proposal's approval deadline in the table itself (days pass, in life). Only after
 * request-approval has recorded its mail (`approval.mailedAt`): that write sets the whole approval
 * map, and would put the old deadline back if it came after this one.
 */
export async function moveApprovalDeadline(stack: TestStack, proposalId: string, expiresAt: string) {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region }),
  );
  const TableName = stack.info.dynamodb.tables.proposals!;
  const Key = { id: proposalId };
  for (const until = Date.now() + 30_000; ;) {
    const { Item } = await db.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    if (Item?.approval?.mailedAt) break;
    if (Date.now() > until) throw new Error(`${proposalId}: approval mail never recorded (${JSON.stringify(Item)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await db.send(
    new UpdateCommand({
      TableName,
      Key,
      UpdateExpression: 'SET approval.expiresAt = :t',
      ExpressionAttributeValues: { ':t': expiresAt },
    }),
  );
}

export async function decide(
  stack: TestStack,
  proposalId: string,
  code: string,
  decision: 'APPROVED' | 'REJECTED',
  note?: string,
) {
  return api(stack, `/approvals/${proposalId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code, decision, ...(note ? { note } : {}) }).toString(),
  });
}

export async function bpjsFaults(stack: TestStack, faults: Record<string, unknown>) {
  await fetch(`${stack.info.bpjs}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

/** A proposal CSV as a village would make it (semicolons, Indonesian headers). */
export function proposalCsv(
  rows: string[][],
  header = ['NIK', 'Nama Lengkap', 'Tgl Lahir', 'L/P', 'Pekerjaan'],
): string {
  return [header, ...rows].map((r) => r.join(';')).join('\n') + '\n';
}

/** A valid NIK for Kapuas (62.03.01) with the given birth date and sex, and a serial. */
export function nik(birth: string, sex: 'L' | 'P', serial: number): string {
  const [d, m, y] = birth.split('-').map(Number) as [number, number, number];
  const day = sex === 'P' ? d + 40 : d;
  return `620301${String(day).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y % 100).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
}

/**
 * Waits until, of the executions started for these uploads, only `waiting` still run (each newest upload's
 * approval wait): a test waits on settled executions, never on a fixed sleep.
 */
export async function executionsSettled(stack: TestStack, keys: string[], waiting: number, timeoutMs = 45_000) {
  const sfn = stepFunctionsOf(stack);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stateMachineArn = stack.info.stepfunctions.stateMachines.enrollment!;
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    let running = 0;
    for (const e of executions.filter((x) => x.status === 'RUNNING')) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
      if (
        keys.includes(
          (JSON.parse(d.input ?? '{}') as { detail?: { object?: { key?: string } } }).detail?.object?.key ?? '',
        )
      )
        running++;
    }
    if (running === waiting) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`executions for ${keys.join(', ')} still running`);
}

/**
 * Fires a schedule of the local EventBridge Scheduler (the one whose name ends with `suffix`) as if at a
 * Jakarta time, and waits for the execution it started to end; returns its output.
 */
export async function fireSchedule(stack: TestStack, suffix: string, jakartaTime: string, timeoutMs = 60_000) {
  const { endpoint } = stack.info.scheduler;
  const schedule = await scheduleNamed(stack, suffix);
  const res = await fetch(`${endpoint}/schedules/${encodeURIComponent(schedule.name)}/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time: `${jakartaTime}+07:00` }),
  });
  if (res.status !== 202) throw new Error(`Firing ${schedule.name} answered ${res.status}: ${await res.text()}`);
  const { executionArn } = (await res.json()) as { executionArn: string };
  const sfn = stepFunctionsOf(stack);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (run.status === 'SUCCEEDED') return JSON.parse(run.output ?? '{}') as Record<string, unknown>;
    if (run.status !== 'RUNNING')
      throw new Error(`${schedule.name} at ${jakartaTime}: ${run.status} ${run.error} ${run.cause}`);
    if (Date.now() > deadline) throw new Error(`${schedule.name} at ${jakartaTime} still running`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A schedule the local EventBridge Scheduler holds, by the end of its name (names carry the stage). */
export async function scheduleNamed(stack: TestStack, suffix: string) {
  const { schedules } = (await (await fetch(`${stack.info.scheduler.endpoint}/schedules`)).json()) as {
    schedules: { name: string; timezone: string; expression: string }[];
  };
  const found = schedules.find((s) => s.name.endsWith(suffix));
  if (!found) throw new Error(`No schedule named *${suffix}: ${schedules.map((s) => s.name).join(', ')}`);
  return found;
}

/** A Step Functions client of the local stack. */
function stepFunctionsOf(stack: TestStack) {
  return new SFNClient({
    endpoint: stack.info.stepfunctions.endpoint,
    region: stack.info.region,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  });
}
