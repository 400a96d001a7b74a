import * as z from 'zod';
import { Benefit, type FundingSource, type Programme } from '../programmes/programme';
import { CalendarMonth, monthOf } from './calendar';

/**
 * What a programme pays BPJS Ketenagakerjaan each month and what happens when it does not: the
 * rates (which change by law, so each carries the month it takes effect), the discounts the law
 * grants and to whom, and the rules DOMAIN.md lists as not confirmed, each a setting whose default
 * is the safer reading: a bill never too low, a due date never too late, a scholarship clock never
 * showing months the rules might not keep.
 *
 * Money is integer rupiah and percentages are basis points (1% = 100), so 1% of Rp1,000,000 is
 * 1_000_000 * 100 / 10_000 = 10_000 exactly, with no float anywhere.
 */

export const BenefitRate = z.discriminatedUnion('basis', [
  z.object({
    basis: z.literal('PERCENT_OF_INCOME'),
    /** 100 = 1% of declared monthly income. */
    basisPoints: z.number().int().positive().max(10_000),
    legalBasis: z.string().min(1),
  }),
  z.object({ basis: z.literal('FLAT'), monthly: z.number().int().positive(), legalBasis: z.string().min(1) }),
]);
export type BenefitRate = z.infer<typeof BenefitRate>;

/** Rates in force from a month on, until the next schedule's `effectiveFrom`. */
export const RateSchedule = z.object({
  effectiveFrom: CalendarMonth,
  /** The income bracket declared for every participant; the lowest BPU bracket is Rp1,000,000. */
  declaredMonthlyIncome: z.number().int().positive(),
  /** A benefit with no rate here cannot be priced (e.g. JP, which PP 45/2015 keeps for wage earners). */
  rates: z.partialRecord(Benefit, BenefitRate),
});
export type RateSchedule = z.infer<typeof RateSchedule>;

/** A cut the law grants on some benefits for some months, e.g. PP 50/2025's 50% on BPU JKK and JKM. */
const ContributionDiscount = z
  .object({
    name: z.string().min(1),
    legalBasis: z.string().min(1),
    /** First and last month covered (inclusive). */
    from: CalendarMonth,
    to: CalendarMonth,
    /** 5_000 = 50% off. */
    basisPoints: z.number().int().positive().max(10_000),
    benefits: z.array(Benefit).min(1),
    /** PP 50/2025 Pasal 3: not for participants whose JKK and JKM the APBN or APBD pays. */
    notWhenStateBudgetPays: z.boolean(),
  })
  .refine((d) => d.from <= d.to, 'a discount ending before it starts');
export type ContributionDiscount = z.infer<typeof ContributionDiscount>;

const JKK_JKM_BPU_BASIS = 'PP 44/2015 Lampiran II; Permenaker 5/2021';
const JHT_BPU_BASIS = 'PP 46/2015; Permenaker 5/2021';

/** JKK 1% of income and JKM Rp6,800 for BPU (DOMAIN.md); JHT 2% where a regency adds it (issue 13). */
export const BPU_RATES_2015: RateSchedule = {
  effectiveFrom: '2015-07',
  declaredMonthlyIncome: 1_000_000,
  rates: {
    JKK: { basis: 'PERCENT_OF_INCOME', basisPoints: 100, legalBasis: JKK_JKM_BPU_BASIS },
    JKM: { basis: 'FLAT', monthly: 6_800, legalBasis: JKK_JKM_BPU_BASIS },
    JHT: { basis: 'PERCENT_OF_INCOME', basisPoints: 200, legalBasis: JHT_BPU_BASIS },
  },
};

/**
 * PP 50/2025 (promulgated 22 December 2025): BPU JKK and JKM at 50% for contributions of April to
 * December 2026 outside the transport sector (January 2026 to March 2027 for transport workers, a
 * programme for them would set its own window), never where the APBN or APBD pays.
 */
const PP_50_2025: ContributionDiscount = {
  name: 'Keringanan iuran JKK dan JKM BPU 50%',
  legalBasis: 'PP 50/2025 Pasal 3-4',
  from: '2026-04',
  to: '2026-12',
  basisPoints: 5_000,
  benefits: ['JKK', 'JKM'],
  notWhenStateBudgetPays: true,
};

export const ContributionTerms = z.object({
  rateSchedules: z.array(RateSchedule).min(1).default([BPU_RATES_2015]),
  discounts: z.array(ContributionDiscount).default([PP_50_2025]),
  /**
   * Whether a village budget (APBDes) counts as the APBD for PP 50/2025's exclusion. Not confirmed
   * (DOMAIN.md), so it counts by default: no discount, and the bill is never too low.
   */
  apbdesCountsAsApbd: z.boolean().default(true),
  /** Whether cuti bersama move the due date (see due-date.ts); default no, the earlier date. */
  cutiBersamaIsHoliday: z.boolean().default(false),
  /** Unpaid months after which BPJS treats a BPU member as non-active (sources say 3 or "more than 3"). */
  lapseAfterUnpaidMonths: z.number().int().min(1).max(12).default(3),
  /**
   * Paying the arrears of a LAPSED participant: does the scholarship clock keep the months paid before
   * the lapse? Sources differ (DOMAIN.md); `reset` is the reading that never promises a family months
   * BPJS may not count.
   */
  continuousMonthsOnRestore: z.enum(['keep', 'reset']).default('reset'),
  /** Continuous paid months a family needs for the scholarship benefit (JKK/JKM, 3 years). */
  scholarshipMonths: z.number().int().positive().default(36),
});
export type ContributionTerms = z.infer<typeof ContributionTerms>;
export type ContributionTermsInput = z.input<typeof ContributionTerms>;

/**
 * Whether the state budget pays for a programme's participants, as PP 50/2025 means it. DBH Sawit is
 * revenue sharing transferred into the regency's APBD and spent through it (UU 1/2022), so it is the
 * APBD; the APBDes is the open question, settled by the programme's terms.
 */
export function paidByStateBudget(source: FundingSource, terms: ContributionTerms): boolean {
  switch (source) {
    case 'APBD':
    case 'DBH_SAWIT':
      return true;
    case 'APBDES':
      return terms.apbdesCountsAsApbd;
  }
}

/** The schedule in force for a month: the latest that took effect on or before it. */
export function rateScheduleFor(terms: ContributionTerms, month: CalendarMonth): RateSchedule | undefined {
  return terms.rateSchedules
    .filter((s) => s.effectiveFrom <= month)
    .reduce<RateSchedule | undefined>(
      (best, s) => (!best || s.effectiveFrom > best.effectiveFrom ? s : best),
      undefined,
    );
}

/**
 * Terms from a programme: its rates from its first month and each of its rate changes from theirs
 * (a percentage in its own units), its lapse rule, and the default settings unless `settings` says
 * otherwise (a setting given here wins over the programme's own).
 */
export function contributionTermsFor(
  programme: Programme,
  settings: Omit<ContributionTermsInput, 'rateSchedules'> = {},
): ContributionTerms {
  const toBasisPoints = (percent: number) => {
    const bp = Math.round(percent * 100);
    if (Math.abs(bp - percent * 100) > 1e-9) throw new Error(`${percent}% is finer than a basis point`);
    return bp;
  };
  const percent = (pct: number, legalBasis: string): BenefitRate => ({
    basis: 'PERCENT_OF_INCOME',
    basisPoints: toBasisPoints(pct),
    legalBasis,
  });
  const flat = (monthly: number, legalBasis: string): BenefitRate => ({ basis: 'FLAT', monthly, legalBasis });
  const schedule = (
    effectiveFrom: CalendarMonth,
    declaredMonthlyIncome: number,
    rates: Programme['rates'],
    legalBasis?: string,
  ): RateSchedule => ({
    effectiveFrom,
    declaredMonthlyIncome,
    rates: {
      ...(rates.jkkPercentOfIncome > 0 && {
        JKK: percent(rates.jkkPercentOfIncome, legalBasis ?? JKK_JKM_BPU_BASIS),
      }),
      ...(rates.jkmMonthly > 0 && { JKM: flat(rates.jkmMonthly, legalBasis ?? JKK_JKM_BPU_BASIS) }),
      ...(rates.jhtPercentOfIncome > 0 && { JHT: percent(rates.jhtPercentOfIncome, legalBasis ?? JHT_BPU_BASIS) }),
      // JP for BPU is not confirmed possible (DOMAIN.md): only what the programme itself configures.
      ...(rates.jpMonthly > 0 && { JP: flat(rates.jpMonthly, legalBasis ?? 'Konfigurasi program') }),
    },
  });
  return ContributionTerms.parse({
    lapseAfterUnpaidMonths: programme.lapseAfterUnpaidMonths,
    ...settings,
    rateSchedules: [
      schedule(monthOf(programme.coverage.start), programme.declaredMonthlyIncome, programme.rates),
      ...(programme.rateChanges ?? []).map((c) =>
        schedule(c.effectiveFrom, c.declaredMonthlyIncome, c.rates, c.legalBasis),
      ),
    ],
  });
}
