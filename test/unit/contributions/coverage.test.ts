import { describe, expect, it } from 'vitest';
import { addMonths } from '../../../functions/core/contributions/calendar';
import {
  applyCoverageEvent,
  Coverage,
  CoverageTransitionError,
  familiesAtRisk,
  isCoveredIn,
  overdueMonths,
  scholarshipProgress,
} from '../../../functions/core/contributions/coverage';
import { apply, billOf, coverage, MURUNG_KERAMAT, nik, on, terms } from './fixtures';

const states = (c: Coverage) => c.months.map((m) => `${m.month} ${m.state}`);
const last = (c: Coverage) => c.history.at(-1)!;

/** The scenario: January paid in full, February partly (so not paid), March not at all. */
function threeMonths(t = terms()) {
  const jan = apply(coverage(1), t, on.billed('2026-01'), on.paid('2026-01', '2026-01-10'));
  const feb = apply(jan, t, on.billed('2026-02'), on.duePassed('2026-02'));
  const mar = apply(feb, t, on.billed('2026-03'), on.duePassed('2026-03'));
  return { jan, feb, mar };
}

describe('a new coverage', () => {
  it('is ACTIVE with nothing billed, and says why', () => {
    const c = coverage(1);
    expect(c).toMatchObject({ status: 'ACTIVE', monthsBilled: 0, monthsPaid: 0, continuousPaidMonths: 0 });
    expect(c.history).toEqual([expect.objectContaining({ to: 'ACTIVE', reason: 'ENROLLED' })]);
  });
});

describe('paid, partly paid, unpaid: the done-when scenario', () => {
  it('reads PAID for a bill paid in full, ARREARS after a partly paid one falls due, LAPSED at the threshold', () => {
    const t = terms(); // lapse after 3 unpaid months
    const { jan, feb, mar } = threeMonths(t);
    expect(jan).toMatchObject({ status: 'ACTIVE', monthsBilled: 1, monthsPaid: 1, continuousPaidMonths: 1 });
    expect(states(jan)).toEqual(['2026-01 PAID']);

    expect(feb.status).toBe('ARREARS');
    expect(last(feb)).toMatchObject({ from: 'ACTIVE', to: 'ARREARS', reason: 'BILL_OVERDUE', months: ['2026-02'] });
    expect(last(feb).note).toContain('Februari 2026');

    // A second unpaid month: still ARREARS, the warning stands, no second change recorded.
    expect(mar.status).toBe('ARREARS');
    expect(overdueMonths(mar)).toEqual(['2026-02', '2026-03']);
    expect(mar.history).toHaveLength(2);

    const apr = apply(mar, t, on.billed('2026-04'), on.duePassed('2026-04'));
    expect(apr.status).toBe('LAPSED');
    expect(last(apr)).toMatchObject({
      from: 'ARREARS',
      to: 'LAPSED',
      reason: 'UNPAID_THRESHOLD',
      months: ['2026-02', '2026-03', '2026-04'],
      continuousMonthsLost: 1,
    });
    expect(last(apr).note).toContain('3 bulan belum dibayar');
    expect(apr).toMatchObject({ monthsBilled: 4, monthsPaid: 1, continuousPaidMonths: 0 });
  });

  it('lapses at a threshold the programme sets lower (2 unpaid months)', () => {
    const { mar } = threeMonths(terms({ lapseAfterUnpaidMonths: 2 }));
    expect(mar.status).toBe('LAPSED');
    expect(last(mar).months).toEqual(['2026-02', '2026-03']);
  });

  it('stops billing a LAPSED participant', () => {
    const { mar } = threeMonths(terms({ lapseAfterUnpaidMonths: 2 }));
    expect(isCoveredIn(mar, '2026-04')).toBe(false);
    expect(() => applyCoverageEvent(mar, on.billed('2026-04'), terms())).toThrow(CoverageTransitionError);
  });

  it('restores a LAPSED participant once every overdue month is paid, and resets the clock by default', () => {
    const t = terms({ lapseAfterUnpaidMonths: 2 });
    const { mar } = threeMonths(t);
    const halfway = apply(mar, t, on.paid('2026-02', '2026-04-20'));
    expect(halfway.status).toBe('LAPSED'); // March still unpaid
    const restored = apply(halfway, t, on.paid('2026-03', '2026-04-20'));
    expect(restored.status).toBe('ACTIVE');
    expect(last(restored)).toMatchObject({
      from: 'LAPSED',
      to: 'ACTIVE',
      reason: 'RESTORED',
      months: ['2026-02', '2026-03'],
    });
    expect(last(restored).note).toContain('dimulai lagi');
    expect(states(restored)).toEqual(['2026-01 PAID', '2026-02 PAID_LATE', '2026-03 PAID_LATE']);
    expect(restored).toMatchObject({ monthsPaid: 3, continuousPaidMonths: 0 });
    // The clock starts again with the next month paid on time.
    const may = apply(restored, t, on.billed('2026-05'), on.paid('2026-05', '2026-05-11'));
    expect(may.continuousPaidMonths).toBe(1);
  });

  it('keeps the clock through a lapse when the programme says keep, counting the arrears paid', () => {
    const t = terms({ lapseAfterUnpaidMonths: 2, continuousMonthsOnRestore: 'keep' });
    const { mar } = threeMonths(t);
    expect(mar.status).toBe('LAPSED');
    expect(mar.continuousPaidMonths).toBe(1);
    expect(last(mar).continuousMonthsLost).toBeUndefined();
    const restored = apply(mar, t, on.paid('2026-02', '2026-04-20'), on.paid('2026-03', '2026-04-20'));
    expect(restored).toMatchObject({ status: 'ACTIVE', continuousPaidMonths: 3 });
    expect(last(restored).note).toContain('tetap berlanjut (3 bulan)');
  });
});

describe('arrears paid before a lapse', () => {
  it('return the participant to ACTIVE and keep the clock, whatever the restore rule', () => {
    for (const rule of ['reset', 'keep'] as const) {
      const t = terms({ continuousMonthsOnRestore: rule });
      const { feb } = threeMonths(t);
      const paid = apply(feb, t, on.paid('2026-02', '2026-03-02'));
      expect(paid).toMatchObject({ status: 'ACTIVE', continuousPaidMonths: 2 });
      expect(last(paid)).toMatchObject({ from: 'ARREARS', reason: 'ARREARS_PAID', months: ['2026-02'] });
      expect(states(paid)).toEqual(['2026-01 PAID', '2026-02 PAID_LATE']);
    }
  });

  it('count as on time when the payment is dated by the due date, though recorded after it passed', () => {
    const t = terms();
    const { feb } = threeMonths(t);
    const paid = apply(feb, t, on.paid('2026-02', '2026-02-16'));
    expect(states(paid)).toEqual(['2026-01 PAID', '2026-02 PAID']);
    expect(paid.status).toBe('ACTIVE');
  });
});

describe('events that arrive twice or out of place', () => {
  it('change nothing the second time', () => {
    const t = terms();
    const { jan, feb } = threeMonths(t);
    expect(applyCoverageEvent(jan, on.billed('2026-01'), t)).toBe(jan);
    expect(applyCoverageEvent(jan, on.paid('2026-01', '2026-01-10'), t)).toBe(jan);
    expect(applyCoverageEvent(feb, on.duePassed('2026-02'), t)).toBe(feb);
    // A due date passing for a month already paid does not put anyone in arrears.
    expect(applyCoverageEvent(jan, on.duePassed('2026-01'), t)).toBe(jan);
  });

  it('refuse a month on two bills, a payment for a month never billed, and a month outside the coverage', () => {
    const t = terms();
    const { jan } = threeMonths(t);
    expect(() => applyCoverageEvent(jan, { ...on.billed('2026-01'), billId: 'other#2026-01' } as never, t)).toThrow(
      /already on bill/,
    );
    expect(() => applyCoverageEvent(jan, on.paid('2026-02', '2026-02-10'), t)).toThrow(/not billed/);
    expect(() => applyCoverageEvent(jan, on.billed('2027-01'), t)).toThrow(CoverageTransitionError);
  });

  it('keep the NIK out of error messages', () => {
    const t = terms();
    const { jan } = threeMonths(t);
    expect(() => applyCoverageEvent(jan, on.paid('2026-02', '2026-02-10'), t)).toThrow(/6203\*{8}0001/);
  });
});

describe('billing whole months (no proration)', () => {
  it('covers a participant in every month their coverage touches, however few days', () => {
    const c = coverage(2, { start: '2026-03-20', end: '2026-09-03' });
    expect(isCoveredIn(c, '2026-02')).toBe(false);
    expect(isCoveredIn(c, '2026-03')).toBe(true);
    expect(isCoveredIn(c, '2026-09')).toBe(true);
    expect(isCoveredIn(c, '2026-10')).toBe(false);
  });
});

describe('the end of coverage and death', () => {
  it('ENDS at the programme end; a bill paid afterwards still marks its month paid', () => {
    const t = terms();
    const { feb } = threeMonths(t);
    const ended = apply(feb, t, { type: 'COVERAGE_ENDED', at: '2027-01-01T00:00:00.000Z' });
    expect(ended.status).toBe('ENDED');
    expect(last(ended).note).toContain('Februari 2026 masih belum dibayar');
    expect(isCoveredIn(ended, '2026-03')).toBe(false);
    const paidLater = apply(ended, t, on.paid('2026-02', '2027-01-05'));
    expect(paidLater).toMatchObject({ status: 'ENDED', monthsPaid: 2 });
  });

  it('records a death, and warns when it happened during a lapse (JKM probably not paid)', () => {
    const t = terms({ lapseAfterUnpaidMonths: 2 });
    const died = { type: 'DIED', at: '2026-04-02T02:00:00.000Z', dateOfDeath: '2026-03-30' } as const;
    const { jan, mar } = threeMonths(t);
    const active = apply(jan, t, died);
    expect(active.status).toBe('DECEASED');
    expect(last(active).note).not.toContain('nonaktif');
    const lapsed = apply(mar, t, died);
    expect(lapsed.status).toBe('DECEASED');
    expect(last(lapsed)).toMatchObject({ from: 'LAPSED', reason: 'DIED', months: ['2026-02', '2026-03'] });
    expect(last(lapsed).note).toContain('klaim JKM kemungkinan tidak dibayar');
    expect(apply(lapsed, t, { type: 'COVERAGE_ENDED', at: '2027-01-01T00:00:00.000Z' })).toBe(lapsed);
  });
});

describe('the scholarship clock', () => {
  it('reaches 36 months after three years paid on time without a gap', () => {
    const t = terms();
    let c = coverage(3, { start: '2026-01-01', end: '2028-12-31' });
    for (let i = 0; i < 36; i++) {
      const month = addMonths('2026-01', i);
      expect(scholarshipProgress(c, t).reached).toBe(false);
      c = apply(
        c,
        t,
        { type: 'BILLED', at: `${month}-01T00:00:00Z`, month, billId: billOf(month) },
        {
          type: 'BILL_PAID',
          at: `${month}-10T00:00:00Z`,
          month,
          billId: billOf(month),
          paidOn: `${month}-10`,
          dueDate: `${month}-15`,
        },
      );
    }
    expect(scholarshipProgress(c, t)).toEqual({ months: 36, needed: 36, reached: true });
  });
});

describe('families at risk', () => {
  it('counts the participants in arrears, and those whose clock a lapse would reset, per village, NIKs masked', () => {
    const t = terms();
    const withMonths = threeMonths(t).feb; // ARREARS, 1 month on the clock
    const fresh = apply(coverage(4, { villageCode: MURUNG_KERAMAT }), t, on.billed('2026-02'), on.duePassed('2026-02'));
    const paying = threeMonths(t).jan; // ACTIVE
    const risk = familiesAtRisk([withMonths, fresh, paying], t);
    expect(risk).toMatchObject({
      inArrears: 2,
      clockWouldReset: 1,
      byVillage: [
        { villageCode: '62.03.01.2011', inArrears: 1, clockWouldReset: 1 },
        { villageCode: MURUNG_KERAMAT, inArrears: 1, clockWouldReset: 0 },
      ],
    });
    expect(risk.participants[0]).toEqual({
      nik: '6203********0001',
      villageCode: '62.03.01.2011',
      unpaidMonths: ['2026-02'],
      monthsUntilLapse: 2,
      continuousPaidMonths: 1,
      clockWouldReset: true,
    });
    expect(JSON.stringify(risk)).not.toContain(nik(1));
    // Under `keep`, a lapse costs nobody their clock; they are still in arrears.
    expect(familiesAtRisk([withMonths, fresh], terms({ continuousMonthsOnRestore: 'keep' }))).toMatchObject({
      inArrears: 2,
      clockWouldReset: 0,
    });
  });
});

describe('the coverage record', () => {
  it('refuses counts that disagree with its months', () => {
    const { jan } = threeMonths();
    expect(() => Coverage.parse({ ...jan, monthsPaid: 2 })).toThrow(/monthsPaid/);
    expect(() => Coverage.parse({ ...jan, monthsBilled: 0 })).toThrow(/monthsBilled/);
  });
});
