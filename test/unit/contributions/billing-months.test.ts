import { describe, expect, it } from 'vitest';
import type { Bill } from '../../../functions/core/contributions/bill';
import { type CoverageEvent } from '../../../functions/core/contributions/coverage';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import type { ContributionTerms } from '../../../functions/core/contributions/terms';
import { issueMonthlyBill } from '../../../functions/core/contributions/use-cases/issue-monthly-bill';
import { markOverdueBills } from '../../../functions/core/contributions/use-cases/mark-overdue-bills';
import { recordBillPayment } from '../../../functions/core/contributions/use-cases/record-bill-payment';
import { billParticipants, updateCoverage } from '../../../functions/core/contributions/use-cases/update-coverage';
import { MemoryObjects } from '../proposals/fakes';
import { MemoryBillStore, MemoryCoverageStore, openFiveCoverages } from './fakes';
import { MURUNG_KERAMAT, nik, PROGRAMME, PULAU_TELO, terms } from './fixtures';

const programme = { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] } as const;
const PER_PERSON = 16_800;

/** Two villages, five participants (NIKs ending 1-5: five of the ten billable shards), and a clock. */
async function world(t: ContributionTerms) {
  const coverages = new MemoryCoverageStore();
  const bills = new MemoryBillStore();
  const objects = new MemoryObjects();
  let now = new Date('2025-12-20T03:00:00Z');
  await openFiveCoverages(coverages, now);
  const deps = { coverages, bills, objects, holidays: indonesianHolidays, now: () => now };
  return {
    deps,
    coverages,
    bills,
    /** Jakarta wall-clock time, e.g. `2026-02-01T07:00` (UTC+7). */
    at(jakarta: string) {
      now = new Date(`${jakarta}:00+07:00`);
    },
    /** The workflow's fan-out: the event to everyone on the bill, from the bill's list. */
    async toEveryoneOn(bill: Bill, event: CoverageEvent) {
      for await (const p of billParticipants(deps, bill)) {
        await updateCoverage(deps, { programmeId: PROGRAMME, nik: p.nik, event, terms: t });
      }
    },
    issue(month: string) {
      return issueMonthlyBill(deps, { programme, terms: t, month });
    },
    pay(month: string, amount: number, paidOn: string, bankReference: string) {
      return recordBillPayment(deps, {
        programmeId: PROGRAMME,
        month,
        payment: { amount, paidOn, bankReference, recordedBy: 'finance:bendahara@kapuaskab.go.id' },
      });
    },
    async statuses() {
      return [...coverages.items.values()].map((c) => c.status);
    },
  };
}

async function billMonth(w: Awaited<ReturnType<typeof world>>, month: string) {
  w.at(`${month}-01T07:00`);
  const issued = await w.issue(month);
  if (issued.outcome === 'NOBODY_COVERED') throw new Error(`nobody covered in ${month}`);
  await w.toEveryoneOn(issued.bill, { type: 'BILLED', at: `${month}-01T00:00:00.000Z`, month, billId: issued.bill.id });
  return issued.bill;
}

describe('three months of billing: paid in full, partly, not at all', () => {
  it('leaves them paid, then in ARREARS, then LAPSED at the threshold; paying the arrears restores them', async () => {
    const t = terms({ lapseAfterUnpaidMonths: 2 });
    const w = await world(t);

    // January: one bill for five people in two villages, whatever the schedule does twice.
    const jan = await billMonth(w, '2026-01');
    expect(jan).toMatchObject({ participants: 5, amount: 5 * PER_PERSON, due: { date: '2026-01-15' } });
    expect(jan.lines.map((l) => [l.villageCode, l.participants])).toEqual([
      [PULAU_TELO, 3],
      [MURUNG_KERAMAT, 2],
    ]);
    expect(await w.issue('2026-01')).toEqual({ outcome: 'ALREADY_ISSUED', bill: jan });
    expect(w.bills.items.size).toBe(1);

    w.at('2026-01-12T10:00');
    const janPaid = await w.pay('2026-01', 5 * PER_PERSON, '2026-01-12', 'BKD-2026-01');
    expect(janPaid.bill.status).toBe('PAID');
    await w.toEveryoneOn(janPaid.bill, janPaid.paidInFull!);
    expect(await w.statuses()).toEqual(Array(5).fill('ACTIVE'));
    expect((await w.coverages.get(PROGRAMME, nik(1)))!.months).toEqual([
      { month: '2026-01', billId: jan.id, state: 'PAID', paidOn: '2026-01-12' },
    ]);

    // February: partly paid. Nobody moves on the part payment; the day after the due date, all are in arrears.
    const feb = await billMonth(w, '2026-02');
    w.at('2026-02-10T10:00');
    const part = await w.pay('2026-02', 50_000, '2026-02-10', 'BKD-2026-02a');
    expect(part).toEqual({ bill: expect.objectContaining({ status: 'PARTLY_PAID', paid: 50_000 }) });
    w.at('2026-02-16T23:59'); // the due date itself (the 15th was a Sunday)
    expect(await markOverdueBills(w.deps)).toEqual([]);
    w.at('2026-02-17T00:01');
    const overdue = await markOverdueBills(w.deps);
    expect(overdue.map((o) => [o.bill.id, o.bill.status, o.bill.paid])).toEqual([[feb.id, 'OVERDUE', 50_000]]);
    await w.toEveryoneOn(overdue[0]!.bill, overdue[0]!.event);
    expect(await w.statuses()).toEqual(Array(5).fill('ARREARS'));
    expect(await markOverdueBills(w.deps)).toEqual([]); // not sent again the next day

    // March: still billed while in arrears; unpaid; at the threshold (2 months) everyone LAPSES, with why.
    const mar = await billMonth(w, '2026-03');
    expect(mar.participants).toBe(5);
    w.at('2026-03-17T08:00');
    for (const o of await markOverdueBills(w.deps)) await w.toEveryoneOn(o.bill, o.event);
    expect(await w.statuses()).toEqual(Array(5).fill('LAPSED'));
    const lapsed = (await w.coverages.get(PROGRAMME, nik(4)))!;
    expect(lapsed.history.at(-1)).toMatchObject({
      reason: 'UNPAID_THRESHOLD',
      months: ['2026-02', '2026-03'],
      continuousMonthsLost: 1,
    });

    // April: nobody billable, no bill.
    w.at('2026-04-01T07:00');
    expect(await w.issue('2026-04')).toEqual({ outcome: 'NOBODY_COVERED' });

    // The arrears paid: February's remainder, then March. Restored, the clock starting again (reset).
    w.at('2026-04-06T09:00');
    const febRest = await w.pay('2026-02', 5 * PER_PERSON - 50_000, '2026-04-06', 'BKD-2026-02b');
    expect(febRest.paidInFull).toMatchObject({ billId: feb.id, paidOn: '2026-04-06', dueDate: '2026-02-16' });
    await w.toEveryoneOn(febRest.bill, febRest.paidInFull!);
    expect(await w.statuses()).toEqual(Array(5).fill('LAPSED'));
    const marPaid = await w.pay('2026-03', 5 * PER_PERSON, '2026-04-06', 'BKD-2026-03');
    await w.toEveryoneOn(marPaid.bill, marPaid.paidInFull!);
    expect(await w.statuses()).toEqual(Array(5).fill('ACTIVE'));
    expect(await w.coverages.get(PROGRAMME, nik(2))).toMatchObject({
      monthsBilled: 3,
      monthsPaid: 3,
      continuousPaidMonths: 0,
      history: expect.arrayContaining([expect.objectContaining({ reason: 'RESTORED' })]),
    });
    // And May is billed again.
    expect((await billMonth(w, '2026-05')).participants).toBe(5);
  });
});

describe('issuing a bill', () => {
  it('returns the racing run’s bill when another run created it between the read and the create', async () => {
    const w = await world(terms());
    w.at('2026-01-01T07:00');
    let rival: Bill | undefined;
    w.bills.beforeIssue = async (bill) => {
      w.bills.beforeIssue = undefined;
      rival = { ...bill, issuedAt: '2026-01-01T00:00:00.001Z' };
      await w.bills.issue(rival);
    };
    const result = await w.issue('2026-01');
    expect(result).toEqual({ outcome: 'ALREADY_ISSUED', bill: rival });
    expect(w.bills.items.size).toBe(1);
  });

  it('stores who is on the bill, sorted by village, where its events will read them', async () => {
    const w = await world(terms());
    const jan = await billMonth(w, '2026-01');
    expect(jan.participantsKey).toMatch(/^bills\/kapuas-2026-apbd\/2026-01\/participants-[0-9a-f]{16}\.jsonl$/);
    const listed = [];
    for await (const p of billParticipants(w.deps, jan)) listed.push(p);
    expect(listed).toEqual([
      { nik: nik(1), villageCode: PULAU_TELO },
      { nik: nik(2), villageCode: PULAU_TELO },
      { nik: nik(3), villageCode: PULAU_TELO },
      { nik: nik(4), villageCode: MURUNG_KERAMAT },
      { nik: nik(5), villageCode: MURUNG_KERAMAT },
    ]);
  });
});

describe('recording a payment', () => {
  it('holds an over-payment on the bill and pays everyone on it; the same transfer again changes nothing', async () => {
    const w = await world(terms());
    await billMonth(w, '2026-01');
    w.at('2026-01-14T10:00');
    const over = await w.pay('2026-01', 5 * PER_PERSON + 200, '2026-01-14', 'BKD-X');
    expect(over.bill).toMatchObject({ status: 'OVERPAID', paid: 5 * PER_PERSON + 200 });
    expect(over.paidInFull).toMatchObject({ type: 'BILL_PAID', paidOn: '2026-01-14' });
    const again = await w.pay('2026-01', 5 * PER_PERSON + 200, '2026-01-14', 'BKD-X');
    expect(again).toEqual({ bill: over.bill });
  });

  it('refuses a payment for a month with no bill', async () => {
    const w = await world(terms());
    await expect(w.pay('2026-07', 1, '2026-07-01', 'B')).rejects.toThrow('No bill for kapuas-2026-apbd in 2026-07');
  });
});
