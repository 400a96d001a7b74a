import * as z from 'zod';
import { Benefit, FundingSource } from '../programmes/programme';
import { CalendarMonth } from './calendar';
import { paidByStateBudget, rateScheduleFor, type BenefitRate, type ContributionTerms } from './terms';

/**
 * What one participant costs for one month: a line per benefit with how it was computed and the law
 * behind it, and every discount in force that month with whether it applied and why, so an auditor
 * can check the bill against the regulation without asking anyone.
 */

const Rupiah = z.number().int().nonnegative();

const PriceLine = z.object({
  benefit: Benefit,
  /** How the amount was computed, in the bill's language: `1% x Rp1.000.000`, `tetap per bulan`. */
  computation: z.string(),
  legalBasis: z.string(),
  gross: Rupiah,
  discount: Rupiah,
  amount: Rupiah,
});
export type PriceLine = z.infer<typeof PriceLine>;

const DiscountDecision = z.object({
  name: z.string(),
  legalBasis: z.string(),
  applied: z.boolean(),
  why: z.string(),
});
export type DiscountDecision = z.infer<typeof DiscountDecision>;

export const MonthlyPrice = z.object({
  month: CalendarMonth,
  fundingSource: FundingSource,
  declaredMonthlyIncome: Rupiah,
  /** The rate schedule used: the month it took effect. */
  ratesEffectiveFrom: CalendarMonth,
  lines: z.array(PriceLine).min(1),
  discounts: z.array(DiscountDecision),
  /** Per participant per month, integer rupiah. */
  total: Rupiah,
});
export type MonthlyPrice = z.infer<typeof MonthlyPrice>;

export class NoRateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoRateError';
  }
}

/** a * bp / 10_000 in integers: up (the bill is never short a rupiah) or down (a discount never too big). */
function basisPointsOf(amount: number, basisPoints: number, round: 'up' | 'down'): number {
  const scaled = amount * basisPoints;
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`Rp${amount} x ${basisPoints} bp is beyond exact integers`);
  const remainder = scaled % 10_000;
  const whole = (scaled - remainder) / 10_000;
  return remainder !== 0 && round === 'up' ? whole + 1 : whole;
}

const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;
const percent = (bp: number) => `${(bp / 100).toLocaleString('id-ID')}%`;

function gross(rate: BenefitRate, income: number): { gross: number; computation: string } {
  if (rate.basis === 'FLAT') return { gross: rate.monthly, computation: 'tetap per bulan' };
  return {
    gross: basisPointsOf(income, rate.basisPoints, 'up'),
    computation: `${percent(rate.basisPoints)} x ${rupiah(income)}`,
  };
}

export type PricingInput = {
  month: CalendarMonth;
  benefits: readonly Benefit[];
  fundingSource: FundingSource;
  terms: ContributionTerms;
};

/** The price of one participant for one month under the programme's terms. */
export function priceParticipantMonth({ month, benefits, fundingSource, terms }: PricingInput): MonthlyPrice {
  const schedule = rateScheduleFor(terms, month);
  if (!schedule) throw new NoRateError(`No contribution rates in force for ${month}`);
  const stateBudget = paidByStateBudget(fundingSource, terms);

  const inForce = terms.discounts.filter((d) => d.from <= month && month <= d.to);
  const discounts: DiscountDecision[] = inForce.map((d) => {
    const refused = d.notWhenStateBudgetPays && stateBudget;
    const why = !refused
      ? 'berlaku untuk bulan ini; iuran tidak dibayar APBN/APBD'
      : fundingSource === 'APBDES'
        ? 'tidak berlaku: APBDes diperlakukan sebagai APBD (belum dikonfirmasi, pilihan yang aman)'
        : fundingSource === 'DBH_SAWIT'
          ? 'tidak berlaku: DBH Sawit dibelanjakan melalui APBD'
          : 'tidak berlaku: iuran dibayar APBD';
    return { name: d.name, legalBasis: d.legalBasis, applied: !refused, why };
  });
  const applied = inForce.filter((_, i) => discounts[i]!.applied);

  const lines = benefits.map((benefit): PriceLine => {
    const rate = schedule.rates[benefit];
    if (!rate) throw new NoRateError(`No ${benefit} rate in the schedule from ${schedule.effectiveFrom}`);
    const { gross: full, computation } = gross(rate, schedule.declaredMonthlyIncome);
    // Discounts on one benefit do not compound: each is taken off the gross, and never below zero.
    const off = applied
      .filter((d) => d.benefits.includes(benefit))
      .reduce((sum, d) => sum + basisPointsOf(full, d.basisPoints, 'down'), 0);
    const discount = Math.min(off, full);
    const legalBasis = [
      rate.legalBasis,
      ...applied.filter((d) => d.benefits.includes(benefit)).map((d) => d.legalBasis),
    ];
    return { benefit, computation, legalBasis: legalBasis.join('; '), gross: full, discount, amount: full - discount };
  });

  return MonthlyPrice.parse({
    month,
    fundingSource,
    declaredMonthlyIncome: schedule.declaredMonthlyIncome,
    ratesEffectiveFrom: schedule.effectiveFrom,
    lines,
    discounts,
    total: lines.reduce((sum, l) => sum + l.amount, 0),
  });
}
