import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  approvalLink,
  bpjsFaults,
  decide,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

/**
 * BPJS as real partners are: rate limits, refused batches, answers cut short, and faults at random.
 * Each test checks three records against each other: Jaring's participants, BPJS's own register
 * (the sandbox's) and the proposal's counts.
 */

let stack: TestStack;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startTestStack();
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.info.dynamodb.endpoint,
      region: stack.info.region,
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    }),
  );
});
afterAll(async () => {
  await stack?.stop();
});

const names = [
  'Budi Santoso',
  'Siti Aminah',
  'Joko Susilo',
  'Maria Ulfa',
  'Agus Salim',
  'Dewi Lestari',
  'Rahmat Hidayat',
  'Nur Aini',
];
const occupations = ['petani', 'nelayan', 'pedagang pasar', 'buruh harian lepas'];

/** `count` distinct valid workers; `from` keeps proposals' NIKs apart (the serial is unique per worker). */
function rows(count: number, from: number): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const sex = n % 2 ? 'P' : 'L';
    const birth = `${String(1 + (n % 28)).padStart(2, '0')}-${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}-${1970 + (n % 25)}`;
    return [nik(birth, sex, n), names[n % names.length]!, birth, sex, occupations[n % occupations.length]!];
  });
}

type Served = {
  requests: number;
  registered: number;
  replayed: number;
  errors: number;
  timeouts: number;
  rateLimited: number;
  refused: number;
  partial: number;
};
const served = async (): Promise<Served> =>
  ((await (await fetch(`${stack.info.bpjs}/_sandbox/state`)).json()) as { served: Served }).served;
const delta = (after: Served, before: Served) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof Served]])) as Served;

/** BPJS's register for one proposal: NIK -> KPJ, from the batches whose reference is the proposal's. */
async function bpjsRegister(proposalId: string): Promise<Map<string, string>> {
  const list = (await (await fetch(`${stack.info.bpjs}/_sandbox/participants`)).json()) as {
    nik: string;
    kpj: string;
    reference: string;
  }[];
  return new Map(list.filter((p) => p.reference.startsWith(`${proposalId}-`)).map((p) => [p.nik, p.kpj]));
}

/** Jaring's participants for one proposal, NIK -> KPJ; a NIK recorded twice would fail the count check. */
async function jaringParticipants(proposalId: string): Promise<{ byNik: Map<string, string>; count: number }> {
  const byNik = new Map<string, string>();
  let count = 0;
  for await (const page of paginateScan(
    { client: db },
    { TableName: stack.info.dynamodb.tables.participants!, ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) {
      if (item.proposalId !== proposalId) continue;
      count += 1;
      byNik.set(item.nik as string, item.kpj as string);
    }
  }
  return { byNik, count };
}

async function proposeAndApprove(
  fileName: string,
  list: string[][],
  programme = 'kapuas-2026-apbd',
  validationMs = 90_000,
) {
  const uploadKey = `proposals/${programme}/62.03.01.2011/${fileName}`;
  await upload(stack, uploadKey, proposalCsv(list), { 'operator-email': 'operator@desa.example' });
  const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL', 'INVALID', 'FAILED'], validationMs);
  expect(waiting).toMatchObject({ status: 'AWAITING_APPROVAL', valid: list.length });
  const { code } = await approvalLink(stack, waiting.id);
  expect((await decide(stack, waiting.id, code, 'APPROVED')).status).toBe(200);
  return { uploadKey, id: waiting.id as string };
}

async function expectRecordsAgree(proposalId: string, expected: number) {
  const register = await bpjsRegister(proposalId);
  const { byNik, count } = await jaringParticipants(proposalId);
  expect(register.size).toBe(expected);
  expect(count).toBe(expected);
  expect(byNik).toEqual(register);
}

describe('BPJS submission under rate limits and faults', () => {
  it(
    'enrols 250 workers through a limit of one request a second, following Retry-After',
    { timeout: 150_000 },
    async () => {
      await bpjsFaults(stack, { maxRequestsPerSecond: 1 });
      const before = await served();
      const { uploadKey, id } = await proposeAndApprove('usulan-lambat.csv', rows(250, 1000));
      const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'], 90_000);
      expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 250, rejectedByBpjs: 0 });
      await expectRecordsAgree(id, 250);
      const d = delta(await served(), before);
      // Three batches, each processed once, however many times BPJS said to slow down.
      expect(d.registered).toBe(3);
      expect(d.replayed).toBe(0);
      await bpjsFaults(stack, {});
    },
  );

  it(
    'keeps what BPJS registered when it refuses a batch, and the re-drive carries on from that batch',
    { timeout: 150_000 },
    async () => {
      const list = rows(250, 2000);
      await bpjsFaults(stack, { refuseNiks: [list[150]![0]] });
      const before = await served();
      const { uploadKey, id } = await proposeAndApprove('usulan-ditolak-sebagian.csv', list);
      const failed = await waitForProposal(stack, uploadKey, ['FAILED', 'ENROLLED'], 60_000);
      expect(failed).toMatchObject({
        status: 'FAILED',
        failure: { stage: 'submit', error: 'BpjsRequestRejectedError' },
      });
      // The first batch went through before the refusal, and its answer is on the proposal's record.
      expect((await bpjsRegister(id)).size).toBe(100);
      const history = (await api(stack, `/proposals/${id}/history`)).body.events as {
        action: string;
        details?: Record<string, unknown>;
      }[];
      expect(history.filter((e) => e.action === 'BPJS_BATCH_ANSWERED').map((e) => e.details)).toEqual([
        expect.objectContaining({ batch: 1, registered: 100, reference: `${id}-1` }),
      ]);

      await bpjsFaults(stack, {});
      expect((await api(stack, `/proposals/${id}/redrive`, { method: 'POST' })).status).toBe(202);
      const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'], 60_000);
      expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 250, redrives: 1 });
      await expectRecordsAgree(id, 250);
      const d = delta(await served(), before);
      expect(d.registered).toBe(3);
      // The first batch was not sent again: its answer was kept.
      expect(d.replayed).toBe(0);
    },
  );

  it('asks BPJS about workers its answer left out instead of dropping them', { timeout: 150_000 }, async () => {
    await bpjsFaults(stack, { partialAnswerRate: 1 });
    const { uploadKey, id } = await proposeAndApprove('usulan-jawaban-terpotong.csv', rows(150, 3000));
    const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'], 60_000);
    expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 150, rejectedByBpjs: 0 });
    await expectRecordsAgree(id, 150);
    await bpjsFaults(stack, {});
  });

  it(
    'enrols every one of 3,000 workers exactly once through 20% errors, 5% timeouts and 10% rate limits',
    { timeout: 600_000 },
    async () => {
      const list = rows(3_000, 4000);
      await bpjsFaults(stack, { seed: 2026, errorRate: 0.2, timeoutRate: 0.05, rateLimitRate: 0.1 });
      const before = await served();
      const { uploadKey, id } = await proposeAndApprove('usulan-uji-tahan.csv', list, 'kapuas-2025-apbd', 300_000);
      const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'], 300_000);
      await bpjsFaults(stack, {});
      expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 3_000, rejectedByBpjs: 0 });
      await expectRecordsAgree(id, 3_000);
      const d = delta(await served(), before);
      // The faults did happen, and an answer lost to a timeout was replayed, not registered again.
      expect(d.errors).toBeGreaterThan(0);
      expect(d.rateLimited).toBeGreaterThan(0);
      expect(d.timeouts).toBeGreaterThan(0);
      expect(d.replayed).toBeGreaterThan(0);
      expect(d.registered).toBe(30);
    },
  );
});
