import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbBillStore } from '../../functions/adapters/dynamodb-bill-store';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import {
  approvalLink,
  decide,
  fireSchedule,
  scheduleNamed,
  mails,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  uploadAsOperator,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

const PROGRAMME = 'kapuas-2026-apbd';
const VILLAGES = ['62.03.01.2011', '62.03.01.2020'];
const PER_PERSON = 16_800;
/** The demo operator (infra/local/demo-users.ts), who uploads the first village's proposal signed in. */
const OPERATOR = 'operator@desa-pulau-telo.local';
const masked = (n: string) => `${n.slice(0, 4)}********${n.slice(12)}`;

let stack: TestStack;
let coverages: DynamoDbCoverageStore;
let bills: DynamoDbBillStore;
/** Who was enrolled, by village. */
const enrolled: { nik: string; villageCode: string }[] = [];

/** Fires a schedule as if at a Jakarta time and waits for the execution it started to settle. */
const fire = (suffix: string, jakartaTime: string) => fireSchedule(stack, suffix, jakartaTime);
const monthly = (month: string) => fire('billing-monthly', `${month}-01T01:00:00`);
const daily = (day: string) => fire('billing-daily', `${day}T06:00:00`);

/** The bank pays to a bill's payment code (the whole rest of the bill unless `amount` says otherwise). */
async function bankPays(month: string, paidOn: string, amount?: number) {
  const { paymentCode } = (await bills.get(PROGRAMME, month))!;
  const paid = await fetch(`${stack.info.bpjs}/_sandbox/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ paymentCode, paidOn, ...(amount !== undefined && { amount }) }),
  });
  expect(paid.status).toBe(201);
}

const statuses = async () => Promise.all(enrolled.map(async (p) => (await coverages.get(PROGRAMME, p.nik))?.status));

beforeAll(async () => {
  stack = await startTestStack();
  const credentials = { accessKeyId: 't', secretAccessKey: 't' };
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region, credentials }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const { tables } = stack.info.dynamodb;
  coverages = new DynamoDbCoverageStore(db, { coverage: tables.coverage!, audit: tables.audit! });
  bills = new DynamoDbBillStore(db, { bills: tables.bills!, audit: tables.audit! });

  // Two villages enrolled the way enrollment does it: a proposal each, approved, registered with BPJS.
  // The first by its operator, signed in (the proposal records their address); the second by a direct
  // upload, which records no operator: the overdue notice then has nobody in that village to tell.
  for (const [v, villageCode] of VILLAGES.entries()) {
    const people = [1, 2].map((serial) => nik('12-05-1985', 'L', v * 10 + serial));
    const fileName = 'usulan-iuran.csv';
    const key = `proposals/${PROGRAMME}/${villageCode}/${fileName}`;
    const csv = proposalCsv(people.map((n) => [n, 'Pekerja Desa', '12-05-1985', 'L', 'petani']));
    if (v === 0)
      expect(await uploadAsOperator(stack, { programmeId: PROGRAMME, villageCode, fileName }, csv)).toBe(key);
    else await upload(stack, key, csv);
    const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    expect(waiting.status).toBe('AWAITING_APPROVAL');
    const { code } = await approvalLink(stack, waiting.id);
    expect((await decide(stack, waiting.id, code, 'APPROVED')).status).toBe(200);
    expect(await waitForProposal(stack, key, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'])).toMatchObject({
      status: 'ENROLLED',
    });
    enrolled.push(...people.map((n) => ({ nik: n, villageCode })));
  }
  // Enrollment opened each participant's coverage: billing counts from these.
  for (const p of enrolled) {
    expect(await coverages.get(PROGRAMME, p.nik)).toMatchObject({ status: 'ACTIVE', villageCode: p.villageCode });
  }
}, 300_000);
afterAll(() => stack?.stop());

describe('billing through the local stack', () => {
  it('declares the two schedules in Jakarta time', async () => {
    expect(await scheduleNamed(stack, 'billing-monthly')).toMatchObject({
      timezone: 'Asia/Jakarta',
      expression: 'cron(0 1 1 * ? *)',
    });
    expect(await scheduleNamed(stack, 'billing-daily')).toMatchObject({
      timezone: 'Asia/Jakarta',
      expression: 'cron(0 6 * * ? *)',
    });
  });

  it('bills January once though the schedule fires twice: files in S3, a payment code, one mail', async () => {
    await monthly('2026-01');
    await monthly('2026-01');
    const bill = (await bills.get(PROGRAMME, '2026-01'))!;
    expect(bill).toMatchObject({ participants: 4, amount: 4 * PER_PERSON, status: 'ISSUED' });
    expect(bill.paymentCode).toMatch(/^8890\d{12}$/);
    expect((await bills.byProgramme(PROGRAMME)).map((b) => b.month)).toEqual(['2026-01']);

    const listed = await stack.s3.send(
      new ListObjectsV2Command({ Bucket: stack.info.s3.buckets.uploads!, Prefix: `bills/${PROGRAMME}/2026-01/` }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key!.split('/').pop()!).sort();
    // One participants list: the second firing found the bill and counted nobody again.
    expect(keys).toEqual([
      'bill.json',
      ...VILLAGES.map((v) => `desa-${v}.xlsx`),
      expect.stringMatching(/^participants-[0-9a-f]{16}\.jsonl$/),
    ]);
    const xlsx = await stack.s3.send(
      new GetObjectCommand({
        Bucket: stack.info.s3.buckets.uploads!,
        Key: `bills/${PROGRAMME}/2026-01/desa-${VILLAGES[0]}.xlsx`,
      }),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.Body!.transformToByteArray()) as never);
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String).join(' ');
    expect(cells).toContain(`${enrolled[0]!.nik.slice(0, 4)}********${enrolled[0]!.nik.slice(12)}`);
    expect(cells).not.toContain(enrolled[0]!.nik);

    const billMails = (await mails(stack)).filter((m) => m.subject.includes('Tagihan iuran Januari 2026'));
    expect(billMails).toHaveLength(1);
    expect(billMails[0]!.text).toContain(`Kode iuran BPJS Ketenagakerjaan: ${bill.paymentCode}`);
    expect(billMails[0]!.text).toContain('Rp67.200');

    for (const p of enrolled) {
      expect((await coverages.get(PROGRAMME, p.nik))!.months).toEqual([
        { month: '2026-01', billId: bill.id, state: 'BILLED' },
      ]);
    }
  });

  it('learns of a payment through the sandbox bank by asking BPJS, and marks everyone paid', async () => {
    await bankPays('2026-01', '2026-01-12');
    await daily('2026-01-13');
    expect(await bills.get(PROGRAMME, '2026-01')).toMatchObject({
      status: 'PAID',
      paid: 4 * PER_PERSON,
      paidInFullOn: '2026-01-12',
    });
    for (const p of enrolled) {
      const c = (await coverages.get(PROGRAMME, p.nik))!;
      expect(c).toMatchObject({ status: 'ACTIVE', monthsPaid: 1, continuousPaidMonths: 1 });
      expect(c.months).toMatchObject([{ month: '2026-01', state: 'PAID', paidOn: '2026-01-12' }]);
    }
  });

  it('holds a partial payment as such: the bill PARTLY_PAID, then OVERDUE and everyone in ARREARS, with the notices', async () => {
    await monthly('2026-02');
    // Half of February's bill, before its due date (16 February: the 15th is a Sunday).
    await bankPays('2026-02', '2026-02-10', 2 * PER_PERSON);
    await daily('2026-02-11');
    expect(await bills.get(PROGRAMME, '2026-02')).toMatchObject({ status: 'PARTLY_PAID', paid: 2 * PER_PERSON });
    expect(await statuses()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);

    // A bill is paid as a whole: half paid at the due date leaves everyone on it in ARREARS.
    await daily('2026-02-20');
    await daily('2026-02-21');
    const february = (await bills.get(PROGRAMME, '2026-02'))!;
    expect(february).toMatchObject({ status: 'OVERDUE', paid: 2 * PER_PERSON, amount: 4 * PER_PERSON });
    expect(february.paidInFullOn).toBeUndefined();
    expect(await statuses()).toEqual(['ARREARS', 'ARREARS', 'ARREARS', 'ARREARS']);
    for (const p of enrolled) {
      const c = (await coverages.get(PROGRAMME, p.nik))!;
      expect(c.months.map((m) => m.state)).toEqual(['PAID', 'OVERDUE']);
      expect(c.history.at(-1)).toMatchObject({
        from: 'ACTIVE',
        to: 'ARREARS',
        reason: 'BILL_OVERDUE',
        months: ['2026-02'],
      });
    }

    const all = await mails(stack);
    // Finance and Dinas Sosial: the whole programme, counts only.
    const notices = all.filter(
      (m) => m.subject.includes('Iuran Februari 2026 belum lunas') && m.subject.endsWith(`(${PROGRAMME})`),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('dibayar Rp33.600 dari Rp67.200, kurang Rp33.600');
    expect(notices[0]!.text).toContain('4 peserta kini menunggak. 4 keluarga akan kehilangan hitungan');
    // The operator who enrolled the first village: that village's two families only, NIKs masked.
    const toOperator = all.filter(
      (m) => m.to.includes(OPERATOR) && m.subject.includes('Iuran Februari 2026 belum lunas'),
    );
    expect(toOperator).toHaveLength(1);
    expect(toOperator[0]!.to).toEqual([OPERATOR]);
    expect(toOperator[0]!.subject).toContain(`2 peserta Desa Pulau Telo (${VILLAGES[0]}) menunggak`);
    for (const p of enrolled) {
      expect(toOperator[0]!.text).not.toContain(p.nik);
      if (p.villageCode === VILLAGES[0]) expect(toOperator[0]!.text).toContain(`- ${masked(p.nik)}: belum lunas`);
      else expect(toOperator[0]!.text).not.toContain(masked(p.nik));
    }
    expect(toOperator[0]!.text).not.toContain(VILLAGES[1]);
  });

  it('lapses them at the third unpaid month, with the reason on record', async () => {
    await monthly('2026-03');
    await daily('2026-03-20');
    expect(await statuses()).toEqual(['ARREARS', 'ARREARS', 'ARREARS', 'ARREARS']);
    await monthly('2026-04');
    await daily('2026-04-20');
    expect(await statuses()).toEqual(['LAPSED', 'LAPSED', 'LAPSED', 'LAPSED']);
    const lapse = (await coverages.get(PROGRAMME, enrolled[0]!.nik))!.history.at(-1)!;
    expect(lapse).toMatchObject({
      reason: 'UNPAID_THRESHOLD',
      months: ['2026-02', '2026-03', '2026-04'],
      continuousMonthsLost: 1,
    });
  });

  it("restores them when the arrears are paid, by the programme's rule: reset, the scholarship clock from zero", async () => {
    // The arrears: the rest of February, and March and April (billed before the lapse), in full.
    await bankPays('2026-02', '2026-04-25');
    await bankPays('2026-03', '2026-04-25');
    await bankPays('2026-04', '2026-04-25');
    await daily('2026-04-26');
    for (const month of ['2026-02', '2026-03', '2026-04']) {
      expect(await bills.get(PROGRAMME, month), month).toMatchObject({ status: 'PAID', paidInFullOn: '2026-04-25' });
    }
    expect((await bills.get(PROGRAMME, '2026-02'))!.payments.map((p) => p.amount)).toEqual([
      2 * PER_PERSON,
      2 * PER_PERSON,
    ]);
    expect(await statuses()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    for (const p of enrolled) {
      const c = (await coverages.get(PROGRAMME, p.nik))!;
      // `reset` (the default): the lapse took January's month off the clock, and the arrears paid while
      // LAPSED do not count towards it; all four months are paid all the same.
      expect(c).toMatchObject({ monthsPaid: 4, continuousPaidMonths: 0 });
      expect(c.months.map((m) => m.state)).toEqual(['PAID', 'PAID_LATE', 'PAID_LATE', 'PAID_LATE']);
      expect(c.history.at(-1)).toMatchObject({
        from: 'LAPSED',
        to: 'ACTIVE',
        reason: 'RESTORED',
        months: ['2026-02', '2026-03', '2026-04'],
        note: expect.stringContaining('dimulai lagi dari bulan berikutnya'),
      });
    }

    // Restored, they are billed again, and the first month paid on time is month 1 of the new clock.
    await monthly('2026-05');
    expect(await bills.get(PROGRAMME, '2026-05')).toMatchObject({ participants: 4, amount: 4 * PER_PERSON });
    await bankPays('2026-05', '2026-05-11');
    await daily('2026-05-12');
    for (const p of enrolled) {
      expect(await coverages.get(PROGRAMME, p.nik)).toMatchObject({
        status: 'ACTIVE',
        monthsPaid: 5,
        continuousPaidMonths: 1,
      });
    }
  });
}, 600_000);
