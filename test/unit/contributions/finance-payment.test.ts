import { describe, expect, it } from 'vitest';
import { BillTally, issueBill } from '../../../functions/core/contributions/bill';
import { billDetail, participantRow } from '../../../functions/core/contributions/contribution-views';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import {
  paymentProofKey,
  recordFinancePayment,
  type PaymentRequest,
} from '../../../functions/core/contributions/use-cases/record-finance-payment';
import { coverage, MURUNG_KERAMAT, PROGRAMME, terms } from './fixtures';
import { MemoryBillStore } from './fakes';

const programme = { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] } as const;
const MONTH = '2026-02';

/** February's bill for three participants (Rp16,800 each: Rp50,400), due 16 February 2026. */
async function store(today = '2026-02-10T03:00:00.000Z') {
  const bills = new MemoryBillStore();
  const tally = new BillTally(PROGRAMME, MONTH);
  for (const c of [coverage(1), coverage(2), coverage(3, { villageCode: MURUNG_KERAMAT })]) tally.add(c);
  await bills.issue(
    issueBill({ programme, tally, terms: terms(), holidays: indonesianHolidays, issuedAt: '2026-02-01T00:05:00Z' })!,
  );
  let clock = new Date(today);
  return {
    bills,
    deps: { bills, now: () => new Date(clock) },
    advance: (ms: number) => (clock = new Date(clock.getTime() + ms)),
  };
}

const pay = (request: PaymentRequest, recordedBy = 'finance:rina') => ({
  programmeId: PROGRAMME,
  month: MONTH,
  request,
  recordedBy,
});

describe('finance recording a payment', () => {
  it('holds a partial payment as paid so far, then the rest pays the bill in full, never rounded', async () => {
    const { deps } = await store();
    const first = await recordFinancePayment(
      deps,
      pay({ amount: 30_000, paidOn: '2026-02-09', bankReference: 'TRF-001' }),
    );
    expect(first).toMatchObject({
      ok: true,
      paidInFull: false,
      bill: { status: 'PARTLY_PAID', amount: 50_400, paid: 30_000 },
    });

    const rest = await recordFinancePayment(
      deps,
      pay({ amount: 20_400, paidOn: '2026-02-10', bankReference: 'TRF-002' }),
    );
    expect(rest).toMatchObject({
      ok: true,
      paidInFull: true,
      bill: { status: 'PAID', paid: 50_400, paidInFullOn: '2026-02-10' },
    });
  });

  it('holds an over-payment as such, with the credit on the bill', async () => {
    const { deps } = await store();
    const result = await recordFinancePayment(
      deps,
      pay({ amount: 60_000, paidOn: '2026-02-09', bankReference: 'TRF-009' }),
    );
    expect(result).toMatchObject({ ok: true, paidInFull: true, bill: { status: 'OVERPAID', paid: 60_000 } });
    if (result.ok) expect(billDetail(result.bill)).toMatchObject({ outstanding: 0, overpaid: 9_600 });
  });

  it('refuses a bank reference already on the bill, in Indonesian, naming what it was recorded as', async () => {
    const { bills, deps, advance } = await store();
    await recordFinancePayment(deps, pay({ amount: 30_000, paidOn: '2026-02-09', bankReference: 'TRF-001' }));
    advance(60_000);
    for (const again of [
      { amount: 30_000, paidOn: '2026-02-09', bankReference: 'TRF-001' }, // the same entry twice
      { amount: 20_400, paidOn: '2026-02-10', bankReference: ' TRF-001 ' }, // another amount under it
    ]) {
      const refused = await recordFinancePayment(deps, pay(again, 'finance:budi'));
      expect(refused).toMatchObject({ ok: false, refusal: { status: 409, code: 'BANK_REFERENCE_RECORDED' } });
      if (!refused.ok) expect(refused.refusal.message).toContain('sudah tercatat pada tagihan Februari 2026: Rp30.000');
    }
    expect((await bills.get(PROGRAMME, MONTH))!.payments).toHaveLength(1);
    expect((await bills.get(PROGRAMME, MONTH))!.paid).toBe(30_000);
  });

  it('refuses the same transfer entered by two officers at once: the one that landed first stands', async () => {
    const { bills, deps } = await store();
    // The other officer's entry lands between this one's read and its write.
    const update = bills.update.bind(bills);
    bills.update = async (programmeId, month, next) => {
      bills.update = update;
      await recordFinancePayment(
        deps,
        pay({ amount: 30_000, paidOn: '2026-02-09', bankReference: 'TRF-001' }, 'finance:budi'),
      );
      return update(programmeId, month, next);
    };
    const mine = await recordFinancePayment(
      deps,
      pay({ amount: 30_000, paidOn: '2026-02-09', bankReference: 'TRF-001' }),
    );
    expect(mine).toMatchObject({ ok: false, refusal: { status: 409, code: 'BANK_REFERENCE_RECORDED' } });
    expect((await bills.get(PROGRAMME, MONTH))!.payments).toEqual([
      expect.objectContaining({ recordedBy: 'finance:budi' }),
    ]);
  });

  it('refuses a payment dated after today (Jakarta), and a bill that does not exist', async () => {
    // 17:30 UTC on the 10th is already the 11th in Jakarta.
    const { deps } = await store('2026-02-10T17:30:00.000Z');
    expect(
      await recordFinancePayment(deps, pay({ amount: 1, paidOn: '2026-02-11', bankReference: 'A' })),
    ).toMatchObject({ ok: true });
    expect(
      await recordFinancePayment(deps, pay({ amount: 1, paidOn: '2026-02-12', bankReference: 'B' })),
    ).toMatchObject({
      ok: false,
      refusal: { status: 400, code: 'PAID_ON_IN_FUTURE' },
    });
    expect(
      await recordFinancePayment(deps, {
        ...pay({ amount: 1, paidOn: '2026-02-10', bankReference: 'C' }),
        month: '2026-03',
      }),
    ).toMatchObject({ ok: false, refusal: { status: 404 } });
  });

  it('keeps the proof under its bill and its own reference, whatever the names say', async () => {
    const { deps } = await store();
    const result = await recordFinancePayment(
      deps,
      pay({
        amount: 50_400,
        paidOn: '2026-02-09',
        bankReference: 'BRI/2026/02 09',
        proof: { fileName: '../../participants.jsonl' },
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      proofKey: `bills/${PROGRAMME}/${MONTH}/payments/BRI_2026_02_09/participants.jsonl`,
    });
    if (result.ok) expect(result.bill.payments[0]!.proofKey).toBe(result.proofKey);
    expect(paymentProofKey(PROGRAMME, MONTH, '..', 'bukti 6203011506880001.pdf')).toBe(
      `bills/${PROGRAMME}/${MONTH}/payments/_/bukti 6203x0001.pdf`,
    );
  });
});

describe('a participant in a list', () => {
  it('shows the NIK masked, with KPJ, status and months', () => {
    const row = participantRow({ ...coverage(7), kpj: 'KPJ-7' });
    expect(row).toMatchObject({ nik: '6203********0007', kpj: 'KPJ-7', status: 'ACTIVE', monthsPaid: 0 });
    expect(JSON.stringify(row)).not.toContain('6203011506880007');
  });
});
