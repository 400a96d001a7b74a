import * as z from 'zod';
import { maskNik } from '../privacy/mask';
import { CalendarDate, CalendarMonth, firstDayOf, lastDayOf } from './calendar';
import type { ContributionTerms } from './terms';

/**
 * A participant's coverage under one programme, month by month: what was billed for them, what was
 * paid and when, and the status an operator, finance and BPJS would agree on. Every change of status
 * is kept with its reason (Bahasa Indonesia, for the operator), so "why is Ibu Sari LAPSED?" has an
 * answer on the record. Each event below is a pure function from a coverage to the next one, and
 * each is idempotent: a workflow step that runs twice changes nothing the second time.
 *
 * Rules, and why:
 * - A bill is paid as a whole. Regencies pay one amount per bill (DOMAIN.md), and a partial payment
 *   cannot say whose contribution it is, so no participant's month counts as paid until the bill is
 *   fully paid; after its due date a partly paid bill keeps all its participants in ARREARS.
 * - A month is paid on time when the payment that completed its bill is dated on or before the due
 *   date, whenever it was recorded: a payment entered late by finance is not the family's fault.
 * - ARREARS is the warning from the first unpaid month (DOMAIN.md). LAPSED comes when the unpaid
 *   months reach the programme's `lapseAfterUnpaidMonths` (counted whether or not they are
 *   consecutive: the earlier warning is the safer one). LAPSED participants are not billed again.
 * - The scholarship clock (`continuousPaidMonths`) counts paid months since the last break. Arrears
 *   paid before a lapse do not break it (BPJS still held the member active). A lapse breaks it when
 *   the programme's rule is `reset`: the clock goes to 0 at the lapse, so a lapsed record never shows
 *   months the rule would not keep, and the arrears paid to restore the participant do not count; the
 *   next month paid afterwards is month 1. With `keep`, nothing is lost and the arrears count.
 * - Paying every overdue month restores ACTIVE, from ARREARS or LAPSED.
 * - ENDED and DECEASED are final; a bill paid after them still marks its months paid.
 */

export const CoverageStatus = z.enum(['ACTIVE', 'ARREARS', 'LAPSED', 'ENDED', 'DECEASED']);
export type CoverageStatus = z.infer<typeof CoverageStatus>;

/** BILLED: on a bill, not yet due or paid. OVERDUE: its due date passed without the bill paid. */
const MonthState = z.enum(['BILLED', 'OVERDUE', 'PAID', 'PAID_LATE']);
export type MonthState = z.infer<typeof MonthState>;

const CoveredMonth = z.object({
  month: CalendarMonth,
  billId: z.string().min(1),
  state: MonthState,
  /** The date of the payment that completed the bill. */
  paidOn: CalendarDate.optional(),
});
export type CoveredMonth = z.infer<typeof CoveredMonth>;

const CoverageReason = z.enum([
  'ENROLLED',
  'BILL_OVERDUE',
  'UNPAID_THRESHOLD',
  'ARREARS_PAID',
  'RESTORED',
  'COVERAGE_ENDED',
  'DIED',
]);
export type CoverageReason = z.infer<typeof CoverageReason>;

export const CoverageChange = z.object({
  at: z.string(),
  from: CoverageStatus.optional(),
  to: CoverageStatus,
  reason: CoverageReason,
  /** The months the change is about (the unpaid ones for ARREARS and LAPSED, the paid ones on restore). */
  months: z.array(CalendarMonth).default([]),
  /** For the operator, in Bahasa Indonesia. */
  note: z.string(),
  /** Scholarship months the change cost the family (a lapse under the `reset` rule). */
  continuousMonthsLost: z.number().int().nonnegative().optional(),
});
export type CoverageChange = z.infer<typeof CoverageChange>;

export const Coverage = z
  .object({
    programmeId: z.string().min(1),
    nik: z.string().regex(/^\d{16}$/),
    villageCode: z.string().min(1),
    kpj: z.string().optional(),
    start: CalendarDate,
    end: CalendarDate,
    status: CoverageStatus,
    /** One entry per month billed, oldest first. */
    months: z.array(CoveredMonth),
    monthsBilled: z.number().int().nonnegative(),
    monthsPaid: z.number().int().nonnegative(),
    continuousPaidMonths: z.number().int().nonnegative(),
    history: z.array(CoverageChange).min(1),
    updatedAt: z.string(),
  })
  .refine((c) => c.start <= c.end, 'coverage ends before it starts')
  .refine((c) => c.monthsBilled === c.months.length, 'monthsBilled disagrees with the months billed')
  .refine(
    (c) => c.monthsPaid === c.months.filter((m) => m.state === 'PAID' || m.state === 'PAID_LATE').length,
    'monthsPaid disagrees with the months paid',
  );
export type Coverage = z.infer<typeof Coverage>;

export class CoverageTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoverageTransitionError';
  }
}

const MONTH_NAME = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
/** `2026-02` -> `Februari 2026`, as the operator reads it. */
export const monthName = (month: CalendarMonth) => MONTH_NAME.format(new Date(`${month}-01T00:00:00Z`));
const monthList = (months: CalendarMonth[]) => months.map(monthName).join(', ');

const FINAL: readonly CoverageStatus[] = ['ENDED', 'DECEASED'];
export const overdueMonths = (c: Coverage) => c.months.filter((m) => m.state === 'OVERDUE').map((m) => m.month);

/** Whether the coverage period touches the month (any day of it: no proration). */
export function overlapsMonth(c: Pick<Coverage, 'start' | 'end'>, month: CalendarMonth): boolean {
  return c.start <= lastDayOf(month) && c.end >= firstDayOf(month);
}

export const BILLABLE_STATUSES: readonly CoverageStatus[] = ['ACTIVE', 'ARREARS'];

/** Billed in a month: coverage overlaps the month and the participant is neither lapsed nor gone. */
export function isCoveredIn(c: Pick<Coverage, 'start' | 'end' | 'status'>, month: CalendarMonth): boolean {
  return overlapsMonth(c, month) && BILLABLE_STATUSES.includes(c.status);
}

/**
 * What the billing read needs of a coverage, as the store's billable index holds it: only coverages
 * whose status is in BILLABLE_STATUSES are there, so the status itself is not kept (see README.md).
 */
export type BillableCoverage = Pick<Coverage, 'programmeId' | 'nik' | 'villageCode' | 'start' | 'end'>;

function change(c: Coverage, at: string, to: CoverageStatus, entry: Omit<CoverageChange, 'at' | 'from' | 'to'>) {
  return { ...c, status: to, history: [...c.history, { at, from: c.status, to, ...entry }], updatedAt: at };
}

export type Enrolment = Pick<Coverage, 'programmeId' | 'nik' | 'villageCode' | 'kpj' | 'start' | 'end'>;

/** A new participant's coverage: ACTIVE, nothing billed yet. */
export function openCoverage(enrolment: Enrolment, at: string): Coverage {
  return Coverage.parse({
    ...enrolment,
    status: 'ACTIVE',
    months: [],
    monthsBilled: 0,
    monthsPaid: 0,
    continuousPaidMonths: 0,
    history: [
      {
        at,
        to: 'ACTIVE',
        reason: 'ENROLLED',
        note: `Terdaftar di BPJS Ketenagakerjaan; perlindungan ${enrolment.start} s.d. ${enrolment.end}.`,
      },
    ],
    updatedAt: at,
  });
}

export const CoverageEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('BILLED'), at: z.string(), month: CalendarMonth, billId: z.string().min(1) }),
  z.object({ type: z.literal('DUE_DATE_PASSED'), at: z.string(), month: CalendarMonth }),
  z.object({
    type: z.literal('BILL_PAID'),
    at: z.string(),
    month: CalendarMonth,
    billId: z.string().min(1),
    /** The date of the payment that completed the bill, and the bill's due date. */
    paidOn: CalendarDate,
    dueDate: CalendarDate,
  }),
  z.object({ type: z.literal('COVERAGE_ENDED'), at: z.string() }),
  z.object({ type: z.literal('DIED'), at: z.string(), dateOfDeath: CalendarDate }),
]);
export type CoverageEvent = z.infer<typeof CoverageEvent>;
type EventOf<T extends CoverageEvent['type']> = Extract<CoverageEvent, { type: T }>;

/** The participant is on the bill for `month`. */
function billed(c: Coverage, e: EventOf<'BILLED'>): Coverage {
  const existing = c.months.find((m) => m.month === e.month);
  if (existing) {
    if (existing.billId === e.billId) return c;
    throw new CoverageTransitionError(`${maskNik(c.nik)} is already on bill ${existing.billId} for ${e.month}`);
  }
  if (!isCoveredIn(c, e.month)) {
    throw new CoverageTransitionError(`${maskNik(c.nik)} is ${c.status} or not covered in ${e.month}: not billed`);
  }
  const months = [...c.months, { month: e.month, billId: e.billId, state: 'BILLED' as const }].sort((a, b) =>
    a.month.localeCompare(b.month),
  );
  return { ...c, months, monthsBilled: months.length, updatedAt: e.at };
}

/** The bill for `month` was not fully paid by its due date. */
function dueDatePassed(c: Coverage, e: EventOf<'DUE_DATE_PASSED'>, terms: ContributionTerms): Coverage {
  const entry = c.months.find((m) => m.month === e.month);
  if (!entry) throw new CoverageTransitionError(`${maskNik(c.nik)} was not billed for ${e.month}`);
  if (entry.state !== 'BILLED') return c;
  let next: Coverage = {
    ...c,
    months: c.months.map((m) => (m.month === e.month ? { ...m, state: 'OVERDUE' as const } : m)),
    updatedAt: e.at,
  };
  if (FINAL.includes(next.status)) return next;
  const unpaid = overdueMonths(next);
  if (next.status === 'ACTIVE') {
    next = change(next, e.at, 'ARREARS', {
      reason: 'BILL_OVERDUE',
      months: unpaid,
      note:
        `Iuran ${monthList(unpaid)} belum lunas pada jatuh tempo. Peserta nonaktif bila ` +
        `${terms.lapseAfterUnpaidMonths} bulan belum dibayar.`,
    });
  }
  if (next.status !== 'LAPSED' && unpaid.length >= terms.lapseAfterUnpaidMonths) {
    const lost = terms.continuousMonthsOnRestore === 'reset' ? next.continuousPaidMonths : 0;
    next = change(next, e.at, 'LAPSED', {
      reason: 'UNPAID_THRESHOLD',
      months: unpaid,
      note:
        `Iuran ${unpaid.length} bulan belum dibayar (${monthList(unpaid)}): kepesertaan dianggap nonaktif ` +
        `dan tidak ditagihkan lagi sampai tunggakan dilunasi.` +
        (lost > 0 ? ` Hitungan ${lost} bulan iuran berturut-turut untuk beasiswa dimulai dari awal.` : ''),
      ...(lost > 0 && { continuousMonthsLost: lost }),
    });
    next = { ...next, continuousPaidMonths: next.continuousPaidMonths - lost };
  }
  return next;
}

/** The bill for `month` is fully paid; the payment that completed it is dated `paidOn`. */
function billPaid(c: Coverage, e: EventOf<'BILL_PAID'>, terms: ContributionTerms): Coverage {
  const entry = c.months.find((m) => m.month === e.month);
  if (!entry) throw new CoverageTransitionError(`${maskNik(c.nik)} was not billed for ${e.month}`);
  if (entry.billId !== e.billId) {
    throw new CoverageTransitionError(`${maskNik(c.nik)}'s ${e.month} is on bill ${entry.billId}, not ${e.billId}`);
  }
  if (entry.state === 'PAID' || entry.state === 'PAID_LATE') return c;
  const onTime = e.paidOn <= e.dueDate;
  const months = c.months.map((m) =>
    m.month === e.month ? { ...m, state: onTime ? ('PAID' as const) : ('PAID_LATE' as const), paidOn: e.paidOn } : m,
  );
  // Under `reset`, months paid while LAPSED restore the participant but do not rebuild the clock.
  const counts = !(c.status === 'LAPSED' && terms.continuousMonthsOnRestore === 'reset');
  let next: Coverage = {
    ...c,
    months,
    monthsPaid: c.monthsPaid + 1,
    continuousPaidMonths: c.continuousPaidMonths + (counts ? 1 : 0),
    updatedAt: e.at,
  };
  if ((next.status === 'ARREARS' || next.status === 'LAPSED') && overdueMonths(next).length === 0) {
    // The months settled since the participant fell behind: the late ones from the first month the
    // last change (to ARREARS or LAPSED) named.
    const since = c.history.at(-1)?.months[0] ?? e.month;
    const paid = months.filter((m) => m.state === 'PAID_LATE' && m.month >= since).map((m) => m.month);
    next =
      next.status === 'ARREARS'
        ? change(next, e.at, 'ACTIVE', {
            reason: 'ARREARS_PAID',
            months: paid,
            note: 'Tunggakan iuran sudah dilunasi; perlindungan berjalan seperti biasa.',
          })
        : change(next, e.at, 'ACTIVE', {
            reason: 'RESTORED',
            months: paid,
            note:
              'Tunggakan iuran sudah dilunasi; kepesertaan aktif kembali. ' +
              (terms.continuousMonthsOnRestore === 'reset'
                ? 'Hitungan bulan iuran berturut-turut untuk beasiswa dimulai lagi dari bulan berikutnya.'
                : `Hitungan bulan iuran berturut-turut tetap berlanjut (${next.continuousPaidMonths} bulan).`),
          });
  }
  return next;
}

/** The programme's coverage period is over. */
function coverageEnded(c: Coverage, e: EventOf<'COVERAGE_ENDED'>): Coverage {
  if (FINAL.includes(c.status)) return c;
  const unpaid = overdueMonths(c);
  return change(c, e.at, 'ENDED', {
    reason: 'COVERAGE_ENDED',
    months: unpaid,
    note:
      `Masa perlindungan program berakhir ${c.end}.` +
      (unpaid.length > 0 ? ` Iuran ${monthList(unpaid)} masih belum dibayar.` : ''),
  });
}

/**
 * The participant died. A death while LAPSED is probably not covered (DOMAIN.md): the note says so,
 * for whoever handles the claim, from the status when the death is recorded.
 */
function died(c: Coverage, e: EventOf<'DIED'>): Coverage {
  if (c.status === 'DECEASED') return c;
  const lapsed = c.status === 'LAPSED';
  return change(c, e.at, 'DECEASED', {
    reason: 'DIED',
    months: lapsed ? overdueMonths(c) : [],
    note:
      `Meninggal dunia ${e.dateOfDeath}.` +
      (lapsed ? ' Kepesertaan sedang nonaktif karena tunggakan: klaim JKM kemungkinan tidak dibayar BPJS.' : ''),
  });
}

/** One event applied to one coverage; the result is checked against the schema. */
export function applyCoverageEvent(c: Coverage, event: CoverageEvent, terms: ContributionTerms): Coverage {
  const e = CoverageEvent.parse(event);
  const next = (() => {
    switch (e.type) {
      case 'BILLED':
        return billed(c, e);
      case 'DUE_DATE_PASSED':
        return dueDatePassed(c, e, terms);
      case 'BILL_PAID':
        return billPaid(c, e, terms);
      case 'COVERAGE_ENDED':
        return coverageEnded(c, e);
      case 'DIED':
        return died(c, e);
    }
  })();
  return next === c ? c : Coverage.parse(next);
}

/** Where a family stands towards the scholarship benefit. */
export function scholarshipProgress(c: Coverage, terms: ContributionTerms) {
  return {
    months: c.continuousPaidMonths,
    needed: terms.scholarshipMonths,
    reached: c.continuousPaidMonths >= terms.scholarshipMonths,
  };
}

/** One family in a notice; built here, never parsed, so a plain type. */
export type AtRiskParticipant = {
  /** Masked: the notice goes to operators, finance and Dinas Sosial by mail. */
  nik: string;
  villageCode: string;
  unpaidMonths: CalendarMonth[];
  monthsUntilLapse: number;
  continuousPaidMonths: number;
  /** Whether a lapse would reset the scholarship clock (`reset` rule, months on the clock). */
  clockWouldReset: boolean;
};

/**
 * The families a missed payment puts at risk: participants in ARREARS, how far each is from the
 * lapse, and how many would see their scholarship clock go back to zero; per village, for the notice
 * to each operator, and in total, for finance and Dinas Sosial.
 */
export function familiesAtRisk(coverages: Iterable<Coverage>, terms: ContributionTerms) {
  const participants: AtRiskParticipant[] = [];
  for (const c of coverages) {
    if (c.status !== 'ARREARS') continue;
    const unpaidMonths = overdueMonths(c);
    participants.push({
      nik: maskNik(c.nik),
      villageCode: c.villageCode,
      unpaidMonths,
      monthsUntilLapse: Math.max(1, terms.lapseAfterUnpaidMonths - unpaidMonths.length),
      continuousPaidMonths: c.continuousPaidMonths,
      clockWouldReset: terms.continuousMonthsOnRestore === 'reset' && c.continuousPaidMonths > 0,
    });
  }
  const byVillage = new Map<string, { villageCode: string; inArrears: number; clockWouldReset: number }>();
  for (const p of participants) {
    const v = byVillage.get(p.villageCode) ?? { villageCode: p.villageCode, inArrears: 0, clockWouldReset: 0 };
    v.inArrears += 1;
    if (p.clockWouldReset) v.clockWouldReset += 1;
    byVillage.set(p.villageCode, v);
  }
  return {
    inArrears: participants.length,
    clockWouldReset: participants.filter((p) => p.clockWouldReset).length,
    byVillage: [...byVillage.values()].sort((a, b) => a.villageCode.localeCompare(b.villageCode)),
    participants,
  };
}
