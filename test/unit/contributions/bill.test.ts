import { describe, expect, it } from 'vitest';
import {
  Bill,
  billId,
  billStatus,
  BillTally,
  issueBill,
  overpaid,
  outstanding,
  PaymentConflictError,
  recordPayment,
  refreshBillStatus,
  type Payment,
} from '../../../functions/core/contributions/bill';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { apply, coverage, MURUNG_KERAMAT, on, PROGRAMME, PULAU_TELO, terms } from './fixtures';

const programme = { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] } as const;
const ISSUED_AT = '2026-02-01T00:05:00.000Z';

function bill(month = '2026-02') {
  const t = terms({ lapseAfterUnpaidMonths: 1 });
  const tally = new BillTally(PROGRAMME, month);
  const lapsed = apply(coverage(9), t, on.billed('2026-01'), on.duePassed('2026-01'));
  const people = [
    coverage(1),
    coverage(2),
    coverage(3, { villageCode: MURUNG_KERAMAT }),
    coverage(4, { start: '2026-02-27' }), // a few days in February: billed whole
    coverage(5, { start: '2026-03-01' }), // not yet covered
    coverage(6, { programmeId: 'kapuas-2026-apbdes' }), // another programme
    lapsed,
  ];
  const counted = people.map((c) => tally.add(c));
  return {
    bill: issueBill({ programme, tally, terms: terms(), holidays: indonesianHolidays, issuedAt: ISSUED_AT })!,
    counted,
  };
}

const payment = (over: Partial<Payment> = {}): Payment => ({
  bankReference: 'BKD-001',
  amount: 16_800,
  paidOn: '2026-02-10',
  proofKey: 'payments/kapuas-2026-apbd/2026-02/BKD-001.pdf',
  recordedAt: '2026-02-10T04:00:00.000Z',
  recordedBy: 'finance:bendahara@kapuaskab.go.id',
  ...over,
});

describe('issuing the monthly bill', () => {
  it('counts the participants covered in the month per village, prices them, and sets the due date', () => {
    const { bill: b, counted } = bill();
    expect(counted).toEqual([true, true, true, true, false, false, false]);
    expect(b).toMatchObject({
      id: 'kapuas-2026-apbd#2026-02',
      month: '2026-02',
      status: 'ISSUED',
      participants: 4,
      amount: 4 * 16_800,
      paid: 0,
      lines: [
        { villageCode: PULAU_TELO, participants: 3, amount: 3 * 16_800 },
        { villageCode: MURUNG_KERAMAT, participants: 1, amount: 16_800 },
      ],
    });
    expect(b.due.date).toBe('2026-02-16'); // the 15th is a Sunday
    expect(b.perParticipant.lines.map((l) => l.legalBasis)).toEqual([
      'PP 44/2015 Lampiran II; Permenaker 5/2021',
      'PP 44/2015 Lampiran II; Permenaker 5/2021',
    ]);
  });

  it('has one id per programme and month: the key that makes a twice-fired schedule one bill', () => {
    expect(bill('2026-02').bill.id).toBe(bill('2026-02').bill.id);
    expect(bill('2026-03').bill.id).not.toBe(bill('2026-02').bill.id);
    expect(billId('kapuas-2026-apbdes', '2026-02')).toBe('kapuas-2026-apbdes#2026-02');
  });

  it('sums the counts of tallies made per shard into one bill', () => {
    const shard = (villageCode: string, participants: number) => [{ villageCode, participants }];
    const tally = new BillTally(PROGRAMME, '2026-02');
    tally.addCounts(shard(PULAU_TELO, 40_000));
    tally.addCounts([...shard(PULAU_TELO, 10_000), ...shard(MURUNG_KERAMAT, 50_000)]);
    const b = issueBill({ programme, tally, terms: terms(), holidays: indonesianHolidays, issuedAt: ISSUED_AT })!;
    expect(b).toMatchObject({ participants: 100_000, amount: 100_000 * 16_800 });
    expect(b.lines).toEqual([
      { villageCode: PULAU_TELO, participants: 50_000, amount: 50_000 * 16_800 },
      { villageCode: MURUNG_KERAMAT, participants: 50_000, amount: 50_000 * 16_800 },
    ]);
  });

  it('is not issued for a month nobody is covered in', () => {
    const tally = new BillTally(PROGRAMME, '2025-12');
    tally.add(coverage(1));
    expect(
      issueBill({ programme, tally, terms: terms(), holidays: indonesianHolidays, issuedAt: ISSUED_AT }),
    ).toBeUndefined();
  });

  it('refuses a bill whose figures do not add up', () => {
    const { bill: b } = bill();
    expect(() => Bill.parse({ ...b, amount: b.amount + 1 })).toThrow();
    expect(() => Bill.parse({ ...b, lines: [{ ...b.lines[0]!, amount: 1 }, b.lines[1]!] })).toThrow();
    expect(() => Bill.parse({ ...b, id: 'kapuas-2026-apbd#2026-03' })).toThrow();
  });
});

describe('payments against a bill', () => {
  const amount = 4 * 16_800;

  it('hold a partial payment as such: PARTLY_PAID before the due date, OVERDUE after it with the sum kept', () => {
    const { bill: b } = bill();
    const { bill: part, completed } = recordPayment(b, payment({ amount: 50_000 }), '2026-02-10');
    expect(part).toMatchObject({ status: 'PARTLY_PAID', paid: 50_000 });
    expect(completed).toBe(false);
    expect(outstanding(part)).toBe(amount - 50_000);
    expect(refreshBillStatus(part, '2026-02-16').status).toBe('PARTLY_PAID'); // the due date itself is on time
    const late = refreshBillStatus(part, '2026-02-17');
    expect(late).toMatchObject({ status: 'OVERDUE', paid: 50_000 });
    expect(late.paidInFullOn).toBeUndefined();
  });

  it('turn an unpaid bill OVERDUE the day after its due date', () => {
    const { bill: b } = bill();
    expect(refreshBillStatus(b, '2026-02-16')).toBe(b);
    expect(refreshBillStatus(b, '2026-02-17').status).toBe('OVERDUE');
  });

  it('mark the bill PAID by the payment that completes it, dated by that payment', () => {
    const { bill: b } = bill();
    const first = recordPayment(b, payment({ amount: 50_000 }), '2026-02-10').bill;
    const { bill: full, completed } = recordPayment(
      first,
      payment({ bankReference: 'BKD-002', amount: amount - 50_000, paidOn: '2026-02-20' }),
      '2026-02-20',
    );
    expect(full).toMatchObject({ status: 'PAID', paid: amount, paidInFullOn: '2026-02-20' });
    expect(completed).toBe(true);
    expect(outstanding(full)).toBe(0);
  });

  it('date the completion by when the money was paid, not the order finance entered it', () => {
    const { bill: b } = bill();
    const later = recordPayment(
      b,
      payment({ bankReference: 'B', amount: 10_000, paidOn: '2026-02-20' }),
      '2026-02-21',
    ).bill;
    const full = recordPayment(later, payment({ bankReference: 'A', amount, paidOn: '2026-02-12' }), '2026-02-21').bill;
    expect(full.paidInFullOn).toBe('2026-02-12');
  });

  it('hold an over-payment as a credit on the bill, to the rupiah', () => {
    const { bill: b } = bill();
    const { bill: over, completed } = recordPayment(b, payment({ amount: amount + 1 }), '2026-02-10');
    expect(over).toMatchObject({ status: 'OVERPAID', paid: amount + 1 });
    expect(overpaid(over)).toBe(1);
    expect(completed).toBe(true);
    expect(billStatus(over, '2026-03-01')).toBe('OVERPAID');
  });

  it('record a payment sent twice once, and refuse one bank reference with two amounts', () => {
    const { bill: b } = bill();
    const once = recordPayment(b, payment(), '2026-02-10').bill;
    const twice = recordPayment(
      once,
      payment({ recordedBy: 'bpjs', recordedAt: '2026-02-11T00:00:00Z' }),
      '2026-02-11',
    );
    expect(twice.bill).toBe(once);
    expect(twice.completed).toBe(false);
    expect(() => recordPayment(once, payment({ amount: 16_801 }), '2026-02-11')).toThrow(PaymentConflictError);
  });

  it('refuse amounts that are not whole rupiah, or nothing at all', () => {
    const { bill: b } = bill();
    expect(() => recordPayment(b, payment({ amount: 16_800.5 }), '2026-02-10')).toThrow();
    expect(() => recordPayment(b, payment({ amount: 0 }), '2026-02-10')).toThrow();
    expect(() => recordPayment(b, payment({ bankReference: '  ' }), '2026-02-10')).toThrow();
  });

  it('keep the completion date once paid in full, though a later payment is dated earlier', () => {
    const { bill: b } = bill();
    const full = recordPayment(b, payment({ amount, paidOn: '2026-02-14' }), '2026-02-14').bill;
    const extra = recordPayment(
      full,
      payment({ bankReference: 'X', amount: 5, paidOn: '2026-02-01' }),
      '2026-02-15',
    ).bill;
    expect(extra).toMatchObject({ paidInFullOn: '2026-02-14', status: 'OVERPAID', paid: amount + 5 });
  });
});
