import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbBillStore } from '../../functions/adapters/dynamodb-bill-store';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store';
import { participantEntity } from '../../functions/core/audit/audit-event';
import { applyCoverageEvent } from '../../functions/core/contributions/coverage';
import { indonesianHolidays } from '../../functions/core/contributions/holidays';
import { contributionTermsFor } from '../../functions/core/contributions/terms';
import { issueMonthlyBill } from '../../functions/core/contributions/use-cases/issue-monthly-bill';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { api, nik, proposalCsv, startTestStack, type Caller, type TestStack } from '../support/local-stack';
import { enrollProposal } from '../support/enroll-proposal';
import { stackDocumentClient, stackTable } from '../support/stack-tables';

// Participants, their coverage and the monthly bill through the local stack, as each role reaches them.
const programmeId = 'kapuas-2026-apbd';
const programme = findProgramme(programmeId)!;
const mine = '62.03.01.2011'; // the demo operator's village
const neighbour = '62.03.02.2006'; // a Kapuas village that is not theirs
// December: issued ahead of its due date (15 December), so a partial payment is PARTLY_PAID, not OVERDUE.
const month = '2026-12';
const billId = `${programmeId}#${month}`;
const billPath = `/bills/${encodeURIComponent(billId)}`;

const ours = [nik('03-04-1984', 'L', 501), nik('09-10-1991', 'P', 502)];
const theirs = nik('21-01-1979', 'L', 503);

let stack: TestStack;
let db: DynamoDBDocumentClient;
let tables: { coverage: string; bills: string; audit: string };

beforeAll(async () => {
  stack = await startTestStack();
  db = stackDocumentClient(stack);
  tables = {
    coverage: stackTable(stack, /coverage/i),
    bills: stackTable(stack, /bill/i),
    audit: stackTable(stack, /^audit/i),
  };
  await enrollProposal(
    stack,
    { programmeId, villageCode: mine, fileName: 'usulan-iuran.csv' },
    proposalCsv([
      [ours[0]!, 'Budi Santoso', '03-04-1984', 'L', 'Petani'],
      [ours[1]!, 'Siti Aminah', '09-10-1991', 'P', 'Nelayan'],
    ]),
    'operator',
  );
  await enrollProposal(
    stack,
    { programmeId, villageCode: neighbour, fileName: 'usulan-tetangga.csv' },
    proposalCsv([[theirs, 'Ahmad Yani', '21-01-1979', 'L', 'Petani']]),
    'bucket',
  );
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const coverageStore = () => new DynamoDbCoverageStore(db, tables);
const billStore = () => new DynamoDbBillStore(db, tables);
const regencyWide: Caller[] = ['verifier', 'approver', 'finance', 'auditor', 'admin'];

describe('enrollment opens coverage', () => {
  it('gives each enrolled worker one ACTIVE coverage over the programme period, with village and KPJ', async () => {
    for (const [who, village] of [...ours.map((n) => [n, mine] as const), [theirs, neighbour] as const]) {
      const stored = await coverageStore().byNik(who);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        programmeId,
        villageCode: village,
        status: 'ACTIVE',
        start: programme.coverage.start,
        end: programme.coverage.end,
        monthsBilled: 0,
      });
      expect(stored[0]!.kpj).toBeTruthy();
    }
  });
});

describe('participants by village', () => {
  it('lists a village a page at a time, NIKs masked, for the operator of the village and the regency-wide roles', async () => {
    for (const as of ['operator', ...regencyWide] as Caller[]) {
      const first = await api(stack, `/participants?programmeId=${programmeId}&villageCode=${mine}&limit=1`, { as });
      expect(first.status, as).toBe(200);
      expect(first.body.participants).toHaveLength(1);
      expect(first.body.cursor).toBeTruthy();
      const second = await api(
        stack,
        `/participants?programmeId=${programmeId}&villageCode=${mine}&limit=1&cursor=${first.body.cursor}`,
        { as },
      );
      const rows = [...first.body.participants, ...second.body.participants];
      expect(rows.map((r: { nik: string }) => r.nik).sort()).toEqual(
        ours.map((n) => `${n.slice(0, 4)}********${n.slice(12)}`).sort(),
      );
      expect(rows.every((r: { status: string; kpj: string }) => r.status === 'ACTIVE' && r.kpj)).toBe(true);
      const text = JSON.stringify([first.body, second.body]);
      for (const whole of ours) expect(text).not.toContain(whole);
    }
  });

  it('refuses the operator another village (403) and a cursor from another list (400)', async () => {
    const path = `/participants?programmeId=${programmeId}&villageCode=${neighbour}`;
    expect((await api(stack, path, { as: 'operator' })).status).toBe(403);
    expect((await api(stack, path, { as: 'verifier' })).body.participants).toHaveLength(1);
    const ownPage = await api(stack, `/participants?programmeId=${programmeId}&villageCode=${mine}&limit=1`);
    expect((await api(stack, `${path}&cursor=${ownPage.body.cursor}`)).status).toBe(400);
  });
});

describe('one participant, whole', () => {
  it('shows KPJ, status, months paid and the scholarship clock, and records who opened it', async () => {
    const trail = () => new DynamoDbAuditLog(db, tables.audit).byEntity(participantEntity(ours[0]!, programmeId));
    const before = (await trail()).filter((e) => e.action === 'PARTICIPANT_OPENED').length;
    const res = await api(stack, `/participants/${ours[0]}`, { as: 'operator' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ nik: ours[0] });
    expect(res.body.coverages).toEqual([
      expect.objectContaining({
        programmeId,
        villageCode: mine,
        status: 'ACTIVE',
        monthsPaid: 0,
        continuousPaidMonths: 0,
        scholarship: { months: 0, needed: expect.any(Number), reached: false },
      }),
    ]);
    expect(res.body.coverages[0].kpj).toBeTruthy();
    const opened = (await trail()).filter((e) => e.action === 'PARTICIPANT_OPENED');
    expect(opened).toHaveLength(before + 1);
    expect(opened.at(-1)).toMatchObject({
      actor: `operator:${stack.info.users.operator!.username}`,
      details: { view: 'record' },
    });
  });

  it('is not there for an operator of another village, and is for the regency-wide roles', async () => {
    expect((await api(stack, `/participants/${theirs}`, { as: 'operator' })).status).toBe(404);
    expect((await api(stack, `/participants/${theirs}/coverage`, { as: 'operator' })).status).toBe(404);
    for (const as of regencyWide) expect((await api(stack, `/participants/${theirs}`, { as })).status, as).toBe(200);
    expect((await api(stack, '/participants/6203019999990000')).status).toBe(404);
  });
});

describe('a month billed and paid by finance', () => {
  beforeAll(async () => {
    // The billing workflow's first two steps, through the same use case and adapters against the
    // local stack's tables: the bill, then each participant on it BILLED.
    const terms = contributionTermsFor(programme);
    const issued = await issueMonthlyBill(
      {
        coverages: coverageStore(),
        bills: billStore(),
        objects: new S3ObjectStore(stack.s3, stack.info.s3.buckets.uploads!),
        holidays: indonesianHolidays,
      },
      { programme, terms, month },
    );
    expect(issued.outcome).toBe('ISSUED');
    for (const who of [...ours, theirs]) {
      await coverageStore().update(programmeId, who, (c) =>
        applyCoverageEvent(c, { type: 'BILLED', at: new Date().toISOString(), month, billId }, terms),
      );
    }
  });

  it('shows the bill to every role but the operator, with its lines per village', async () => {
    for (const as of regencyWide) {
      const res = await api(stack, billPath, { as });
      expect(res.status, as).toBe(200);
      expect(res.body).toMatchObject({ id: billId, status: 'ISSUED', participants: 3, amount: 3 * 16_800, paid: 0 });
      expect(res.body.lines.map((l: { villageCode: string }) => l.villageCode)).toEqual([mine, neighbour]);
      const list = await api(stack, `/bills?programmeId=${programmeId}`, { as });
      expect(list.body.bills.map((b: { id: string }) => b.id)).toContain(billId);
    }
    expect((await api(stack, billPath, { as: 'operator' })).status).toBe(403);
    expect((await api(stack, `/bills?programmeId=${programmeId}`, { as: 'operator' })).status).toBe(403);
  });

  it('shows the participant’s month billed in their coverage history', async () => {
    const res = await api(stack, `/participants/${ours[1]}/coverage`, { as: 'auditor' });
    expect(res.status).toBe(200);
    expect(res.body.programmes[0].months).toEqual([expect.objectContaining({ month, billId, state: 'BILLED' })]);
    expect(res.body.programmes[0].changes[0]).toMatchObject({ to: 'ACTIVE', reason: 'ENROLLED' });
  });

  it('takes a partial payment with its proof, refuses its bank reference again, then the rest pays it', async () => {
    const post = (as: Caller, body: unknown) =>
      api(stack, `${billPath}/payments`, {
        as,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const partial = {
      amount: 20_000,
      paidOn: '2026-11-20',
      bankReference: 'BPD-KALTENG-0001',
      proof: { fileName: 'bukti.pdf' },
    };
    expect((await post('auditor', partial)).status).toBe(403);
    expect((await post('verifier', partial)).status).toBe(403);
    expect((await post('finance', { ...partial, amount: 20_000.5 })).status).toBe(400);

    const first = await post('finance', partial);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'PARTLY_PAID', paid: 20_000, outstanding: 3 * 16_800 - 20_000 });
    expect(first.body.proofUpload.key).toBe(`bills/${programmeId}/${month}/payments/BPD-KALTENG-0001/bukti.pdf`);
    const put = await fetch(first.body.proofUpload.url, {
      method: 'PUT',
      headers: first.body.proofUpload.headers,
      body: '%PDF-1.4 bukti',
    });
    expect(put.status).toBe(200);
    const proof = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.info.s3.buckets.uploads!, Key: first.body.proofUpload.key }),
    );
    expect(await proof.Body!.transformToString()).toBe('%PDF-1.4 bukti');

    const again = await post('finance', partial);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'BANK_REFERENCE_RECORDED' });
    expect(again.body.message).toContain('sudah tercatat');

    const rest = await post('finance', {
      amount: 3 * 16_800 - 20_000,
      paidOn: '2026-11-24',
      bankReference: 'BPD-KALTENG-0002',
    });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status: 'PAID', paid: 3 * 16_800, outstanding: 0, paidInFullOn: '2026-11-24' });
    const read = await api(stack, billPath, { as: 'auditor' });
    expect(read.body.payments).toEqual([
      expect.objectContaining({ bankReference: 'BPD-KALTENG-0001', amount: 20_000, hasProof: true }),
      expect.objectContaining({ bankReference: 'BPD-KALTENG-0002', hasProof: false }),
    ]);
  });
});
