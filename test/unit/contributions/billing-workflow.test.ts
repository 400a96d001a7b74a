import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { PaymentCodeRequest, PaymentCodeStatus } from '../../../functions/core/bpjs/payment-contract';
import type { BillRecipients } from '../../../functions/core/contributions/billing-mails';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { contributionTermsFor } from '../../../functions/core/contributions/terms';
import { BillSteps } from '../../../functions/core/contributions/use-cases/bill-steps';
import { issueMonthlyBill } from '../../../functions/core/contributions/use-cases/issue-monthly-bill';
import { checkDueDates, pollPayments } from '../../../functions/core/contributions/use-cases/daily-billing-check';
import { billingMonth } from '../../../functions/core/contributions/use-cases/billing-run';
import { mailIssuedBills } from '../../../functions/core/contributions/use-cases/mail-issued-bills';
import { issueMonthBills } from '../../../functions/core/contributions/use-cases/issue-month-bills';
import { requestPaymentCodes } from '../../../functions/core/contributions/use-cases/request-payment-codes';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { BpjsUnavailableError } from '../../../functions/ports/bpjs';
import type { Mail } from '../../../functions/ports/mailer';
import { MemoryAuditLog, MemoryObjects, MemoryProposalStore } from '../proposals/fakes';
import { proposal } from '../proposals/proposal-fixture';
import { MemoryBillStore, MemoryCoverageStore, openFiveCoverages } from './fakes';
import { MURUNG_KERAMAT, nik, PROGRAMME, PULAU_TELO } from './fixtures';

/** BPJS's payment codes as the contract has them; `down` fails every call as an outage would. */
class FakeBpjsPayments {
  readonly codes = new Map<string, PaymentCodeStatus>();
  readonly requests: PaymentCodeRequest[] = [];
  down = false;
  async requestPaymentCode(request: PaymentCodeRequest) {
    if (this.down) throw new BpjsUnavailableError('BPJS menjawab 503');
    this.requests.push(request);
    const known = [...this.codes.values()].find((c) => c.billReference === request.billReference);
    if (known) return known;
    const code = {
      paymentCode: `8890${this.codes.size + 1}`,
      billReference: request.billReference,
      amount: request.amount,
      payments: [],
    };
    this.codes.set(code.paymentCode, code);
    return code;
  }
  async getPaymentStatus(paymentCode: string) {
    if (this.down) throw new BpjsUnavailableError('BPJS menjawab 503');
    return this.codes.get(paymentCode);
  }
  /** The bank's transfer to the code of a bill. */
  pay(billReference: string, amount: number, paidOn: string, reference: string) {
    [...this.codes.values()]
      .find((c) => c.billReference === billReference)!
      .payments.push({ reference, amount, paidOn });
  }
}

const programme = findProgramme(PROGRAMME)!;
const terms = contributionTermsFor(programme);
const recipients: BillRecipients = {
  finance: 'keuangan@kapuaskab.go.id',
  dinasSosial: ['kepala.dinsos@kapuaskab.go.id'],
  operators: ['dinsos@kapuaskab.go.id'],
};

/** Five participants in two villages of one programme, the workflow's steps over fakes, and a settable clock. */
async function world() {
  const coverages = new MemoryCoverageStore();
  const bills = new MemoryBillStore();
  const objects = new MemoryObjects();
  const audit = new MemoryAuditLog();
  const bpjs = new FakeBpjsPayments();
  const mails: Mail[] = [];
  let now = new Date('2025-12-20T03:00:00Z');
  // Pulau Telo's people came in a signed-in operator's upload; Murung Keramat's in one with no operator.
  const proposals = new MemoryProposalStore();
  const enrolledBy = (id: string, villageCode: string, status: string, time: string, operatorEmail?: string) =>
    proposals.put(
      proposal({
        id,
        villageCode,
        status,
        operatorEmail,
        sourceEvent: { time },
        uploadKey: `proposals/${PROGRAMME}/${villageCode}/${id}.csv`,
      }),
    );
  enrolledBy('prp-pt-lama', PULAU_TELO, 'ENROLLED', '2025-11-01T00:00:00Z', 'operator.lama@pulau-telo.example');
  enrolledBy('prp-pt-baru', PULAU_TELO, 'PARTIALLY_ENROLLED', '2025-12-01T00:00:00Z', 'operator@pulau-telo.example');
  // The newest upload is not enrolled (still awaiting approval): not whose people are billed.
  enrolledBy('prp-pt-tunggu', PULAU_TELO, 'AWAITING_APPROVAL', '2025-12-10T00:00:00Z', 'orang.lain@example.org');
  enrolledBy('prp-mk', MURUNG_KERAMAT, 'ENROLLED', '2025-12-01T00:00:00Z');
  await openFiveCoverages(coverages, now);
  const deps = {
    coverages,
    bills,
    objects,
    proposals,
    holidays: indonesianHolidays,
    steps: new BillSteps(audit, 'system:test'),
    programmes: () => [{ programme, terms }],
    now: () => now,
    bpjs,
    call: <T>(send: () => Promise<T>) => send(),
    mailer: { send: async (m: Mail) => (mails.push(m), { messageId: String(mails.length) }) },
    recipients: () => recipients,
    apiUrl: 'https://jaring.example',
    reminderDays: 3,
  };
  /** A monthly run as the workflow makes it, at a Jakarta time; BPJS failing leaves the mail to go without a code. */
  const monthly = async (jakarta: string) => {
    now = new Date(`${jakarta}+07:00`);
    const run = await issueMonthBills(deps, { month: billingMonth(now) });
    await requestPaymentCodes(deps, run.bills).catch((e: Error) => {
      if (!(e instanceof BpjsUnavailableError)) throw e;
    });
    await mailIssuedBills(deps, run.bills);
    return run;
  };
  const daily = async (jakarta: string) => {
    now = new Date(`${jakarta}+07:00`);
    const payments = await pollPayments(deps);
    return { payments, dueDates: await checkDueDates(deps) };
  };
  const statuses = async () =>
    Promise.all([1, 2, 3, 4, 5].map(async (n) => (await coverages.get(PROGRAMME, nik(n)))!.status));
  return {
    deps,
    coverages,
    bills,
    objects,
    bpjs,
    mails,
    monthly,
    daily,
    statuses,
    at: (t: string) => (now = new Date(`${t}+07:00`)),
  };
}

describe('billing workflow steps', () => {
  it('bills a month once however often it fires: one bill, its files, BILLED on everyone, one code, one mail', async () => {
    const w = await world();
    const first = await w.monthly('2026-02-01T01:00:00');
    const second = await w.monthly('2026-02-01T01:00:00');
    expect(first.bills).toEqual([{ programmeId: PROGRAMME, month: '2026-02', outcome: 'ISSUED' }]);
    expect(second.bills).toEqual([{ programmeId: PROGRAMME, month: '2026-02', outcome: 'ALREADY_ISSUED' }]);

    const bill = (await w.bills.get(PROGRAMME, '2026-02'))!;
    expect(bill.amount).toBe(5 * 16_800);
    expect(bill.paymentCode).toBe('88901');
    expect(w.bpjs.codes.size).toBe(1);
    const c = (await w.coverages.get(PROGRAMME, nik(1)))!;
    expect(c.months).toEqual([{ month: '2026-02', billId: bill.id, state: 'BILLED' }]);

    const keys = [...w.objects.objects.keys()];
    expect(keys).toContain(`bills/${PROGRAMME}/2026-02/bill.json`);
    expect(keys.filter((k) => k.endsWith('.xlsx')).sort()).toEqual(
      [
        `bills/${PROGRAMME}/2026-02/desa-${PULAU_TELO}.xlsx`,
        `bills/${PROGRAMME}/2026-02/desa-${MURUNG_KERAMAT}.xlsx`,
      ].sort(),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(w.objects.objects.get(`bills/${PROGRAMME}/2026-02/desa-${PULAU_TELO}.xlsx`)! as never);
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String).join(' ');
    expect(cells).toContain('Jumlah peserta 3');
    expect(cells).not.toContain(nik(1));
    expect(cells).toContain('6203********0001');

    expect(w.mails).toHaveLength(1);
    expect(w.mails[0]!.to).toEqual(['keuangan@kapuaskab.go.id', 'kepala.dinsos@kapuaskab.go.id']);
    expect(w.mails[0]!.text).toContain('Rp84.000');
    expect(w.mails[0]!.text).toContain('Kode iuran BPJS Ketenagakerjaan: 88901');
  });

  it('mails a bill BPJS could not give a code for at once, and the code when the daily check gets it, once', async () => {
    const w = await world();
    w.bpjs.down = true;
    await w.monthly('2026-02-01T01:00:00');
    expect(w.mails[0]!.text).toContain('Kode iuran dari BPJS Ketenagakerjaan belum terbit');
    w.bpjs.down = false;
    await w.daily('2026-02-02T06:00:00');
    await w.daily('2026-02-03T06:00:00');
    expect((await w.bills.get(PROGRAMME, '2026-02'))!.paymentCode).toBe('88901');
    const codeMails = w.mails.filter((m) => m.subject.includes('Kode iuran'));
    expect(codeMails).toHaveLength(1);
    expect(codeMails[0]!.text).toContain('88901');
  });

  it('records what BPJS received to the code once, and a bill paid in full marks everyone on it paid', async () => {
    const w = await world();
    await w.monthly('2026-02-01T01:00:00');
    w.bpjs.pay(`${PROGRAMME}#2026-02`, 84_000, '2026-02-10', 'BANK-1');
    const first = await w.daily('2026-02-11T06:00:00');
    const again = await w.daily('2026-02-12T06:00:00');
    expect(first.payments).toMatchObject({ paymentsRecorded: 1, billsPaid: 1 });
    expect(again.payments).toMatchObject({ paymentsRecorded: 0, billsPaid: 0 });
    const bill = (await w.bills.get(PROGRAMME, '2026-02'))!;
    expect(bill).toMatchObject({ status: 'PAID', paid: 84_000, paidInFullOn: '2026-02-10' });
    expect(bill.payments).toMatchObject([{ bankReference: 'BANK-1', recordedBy: 'bpjs' }]);
    const c = (await w.coverages.get(PROGRAMME, nik(4)))!;
    expect(c.months[0]).toMatchObject({ state: 'PAID', paidOn: '2026-02-10' });
    expect(await w.statuses()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
  });

  it('reminds before the due date once, then makes the bill OVERDUE and everyone ARREARS, with one notice', async () => {
    const w = await world();
    await w.monthly('2026-01-01T01:00:00');
    w.bpjs.pay(`${PROGRAMME}#2026-01`, 84_000, '2026-01-14', 'BANK-1');
    await w.daily('2026-01-14T06:00:00');
    await w.monthly('2026-02-01T01:00:00');
    // The February bill is due on the 16th (the 15th is a Sunday): three days before is the 13th.
    await w.daily('2026-02-12T06:00:00');
    expect(w.mails.filter((m) => m.subject.startsWith('[Jaring] Pengingat'))).toHaveLength(0);
    await w.daily('2026-02-13T06:00:00');
    await w.daily('2026-02-14T06:00:00');
    expect(w.mails.filter((m) => m.subject.startsWith('[Jaring] Pengingat'))).toHaveLength(1);

    const late = await w.daily('2026-02-17T06:00:00');
    await w.daily('2026-02-18T06:00:00');
    expect(late.dueDates).toMatchObject({ overdue: 1, inArrears: 5, clockWouldReset: 5, lapsed: 0 });
    expect((await w.bills.get(PROGRAMME, '2026-02'))!.status).toBe('OVERDUE');
    expect(await w.statuses()).toEqual(['ARREARS', 'ARREARS', 'ARREARS', 'ARREARS', 'ARREARS']);
    // The programme-wide notice (each village's operator gets one of their own: the next test).
    const notices = w.mails.filter((m) => m.subject.includes('belum lunas') && m.subject.endsWith(`(${PROGRAMME})`));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to).toContain('dinsos@kapuaskab.go.id');
    expect(notices[0]!.text).toContain('5 peserta kini menunggak. 5 keluarga akan kehilangan hitungan');
    // Addressed to, and signed by, the bill's own regency (issue 13).
    expect(notices[0]!.text).toContain('Yth. Operator Desa, Bagian Keuangan dan Dinas Sosial Kabupaten Kapuas,');
    expect(notices[0]!.text).toContain('-- Jaring, Dinas Sosial Kabupaten Kapuas');
    expect(late.dueDates.villagesTold).toBe(1);
  });

  it("tells each village's operator of their own families only, NIKs masked, once", async () => {
    const w = await world();
    await w.monthly('2026-01-01T01:00:00');
    await w.daily('2026-01-20T06:00:00');
    await w.daily('2026-01-21T06:00:00');
    const toOperators = w.mails.filter((m) => m.to.some((t) => t.endsWith('pulau-telo.example')));
    // The latest enrolled proposal's operator; not the older one's, not the unapproved upload's.
    expect(toOperators.map((m) => m.to)).toEqual([['operator@pulau-telo.example']]);
    const [notice] = toOperators;
    expect(notice!.subject).toBe(
      `[Jaring] Iuran Januari 2026 belum lunas: 3 peserta Desa Pulau Telo (${PULAU_TELO}) menunggak`,
    );
    expect(notice!.text).toContain(`3 peserta di Desa Pulau Telo (${PULAU_TELO}) kini menunggak`);
    expect(notice!.text).toContain('dilakukan Bagian Keuangan Kabupaten Kapuas, bukan oleh desa');
    for (const n of [1, 2, 3]) {
      expect(notice!.text).toContain(`- 6203********0${String(n).padStart(3, '0')}: belum lunas Januari 2026`);
      expect(notice!.text).not.toContain(nik(n));
    }
    // Murung Keramat's people are neither counted nor listed, whole or masked.
    expect(notice!.text).not.toMatch(new RegExp(`${MURUNG_KERAMAT}|\\*{8}000[45]`));
    // Murung Keramat has no operator on record: nobody but the programme-wide notice's readers hears of it.
    expect(w.mails.filter((m) => m.subject.includes(MURUNG_KERAMAT))).toEqual([]);
    expect(w.mails.every((m) => !m.to.includes('orang.lain@example.org'))).toBe(true);
  });

  it('lapses everyone after three unpaid months, and paying every arrear restores them', async () => {
    const w = await world();
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      await w.monthly(`${month}-01T01:00:00`);
      await w.daily(`${month}-20T06:00:00`);
    }
    expect(await w.statuses()).toEqual(['LAPSED', 'LAPSED', 'LAPSED', 'LAPSED', 'LAPSED']);
    const lapse = (await w.coverages.get(PROGRAMME, nik(2)))!.history.at(-1)!;
    expect(lapse).toMatchObject({
      to: 'LAPSED',
      reason: 'UNPAID_THRESHOLD',
      months: ['2026-01', '2026-02', '2026-03'],
    });
    expect(w.mails.at(-1)!.text).toContain('5 peserta sudah nonaktif');
    // A lapsed participant is on no later bill.
    const april = await w.monthly('2026-04-01T01:00:00');
    expect(april.bills).toEqual([]);

    for (const month of ['2026-01', '2026-02', '2026-03'])
      w.bpjs.pay(`${PROGRAMME}#${month}`, 84_000, '2026-04-02', `BANK-${month}`);
    await w.daily('2026-04-03T06:00:00');
    expect(await w.statuses()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
  });

  it('finishes a bill whose monthly run stopped after issuing it: the daily check bills everyone before the due date reaches them', async () => {
    const w = await world();
    // The run that issued January's bill died before BILLED reached anyone.
    w.at('2026-01-01T01:00:00');
    await issueMonthlyBill(w.deps, { programme, terms, month: '2026-01' });
    expect((await w.coverages.get(PROGRAMME, nik(1)))!.months).toEqual([]);
    await w.daily('2026-01-20T06:00:00');
    const c = (await w.coverages.get(PROGRAMME, nik(1)))!;
    expect(c.months).toMatchObject([{ month: '2026-01', state: 'OVERDUE' }]);
    expect(await w.statuses()).toEqual(['ARREARS', 'ARREARS', 'ARREARS', 'ARREARS', 'ARREARS']);
  });

  it("ends every coverage still running once the programme's period is over", async () => {
    const w = await world();
    expect((await w.daily('2026-12-31T06:00:00')).dueDates.ended).toBe(0);
    expect((await w.daily('2027-01-01T06:00:00')).dueDates.ended).toBe(5);
    expect(await w.statuses()).toEqual(['ENDED', 'ENDED', 'ENDED', 'ENDED', 'ENDED']);
  });
});
