import * as z from 'zod';
import { CalendarDate } from '../contributions/calendar';
import { SchoolLevel } from './claim';

/**
 * The benefit figures of JKK and JKM for BPU participants, as tables keyed by the law that set
 * them. The law changes (PP 44/2015 was amended by PP 82/2019, and will be again), and a claim is
 * paid under the rules in force on the day of the death or accident, not on the day it is filed or
 * recomputed: a claim keeps the version it was computed with (`Benefit.rulesVersion`), and a new
 * table is a new entry here with its own `effectiveFrom`, never an edit of an old one.
 *
 * Figures are from shared/DOMAIN.md ("Benefits"), each with the source it names there.
 * Money is integer rupiah; percentages are basis points (10_000 = 100%).
 */

const Rupiah = z.number().int().nonnegative();

const BenefitRules = z.object({
  /** The key of the table, kept on every benefit computed with it. */
  version: z.string().min(1),
  /** Shown with every benefit, for the verifier and the auditor. */
  legalBasis: z.string().min(1),
  /** The first event date (death or accident) the table applies to. */
  effectiveFrom: CalendarDate,
  /** JKM: a death that is not a work accident. */
  jkm: z.object({
    lumpSum: Rupiah,
    /** Santunan berkala: a monthly amount for some months, which BPJS pays at once. */
    periodicMonthly: Rupiah,
    periodicMonths: z.number().int().positive(),
    funeral: Rupiah,
  }),
  /** A death from a work accident. */
  jkkDeath: z.object({
    /** The lump sum is this many times the declared monthly income ... */
    incomeMultiple: z.number().int().positive(),
    /** ... and never less than the JKM lump sum ("at least the JKM lump sum"). */
    atLeastJkmLumpSum: z.boolean(),
    periodicMonthly: Rupiah,
    periodicMonths: z.number().int().positive(),
    funeral: Rupiah,
  }),
  /** STMB: pay while the doctor says the participant cannot work. */
  temporaryIncapacity: z.object({
    fullPayMonths: z.number().int().positive(),
    fullPayBasisPoints: z.number().int().positive().max(10_000),
    /** After the full-pay months, until recovery. */
    thenBasisPoints: z.number().int().positive().max(10_000),
  }),
  scholarship: z.object({
    maxChildren: z.number().int().positive(),
    maxTotal: Rupiah,
    /** Paid months a non-work death needs; a work-accident death needs none. */
    paidMonthsForNonWorkDeath: z.number().int().nonnegative(),
    perLevel: z.array(z.object({ level: SchoolLevel, perYear: Rupiah, years: z.number().int().positive() })).min(1),
  }),
});
export type BenefitRules = z.infer<typeof BenefitRules>;

/**
 * PP 82/2019 (amending PP 44/2015; JKK figures in its Lampiran III). In force from its
 * promulgation, 2 December 2019 (the date is not in DOMAIN.md: taken from the regulation's
 * heading, to be checked against JDIH if a claim ever turns on it).
 */
const PP82_2019: BenefitRules = {
  version: 'PP82-2019',
  legalBasis: 'PP 44/2015 sebagaimana diubah dengan PP 82/2019 (Lampiran III)',
  effectiveFrom: '2019-12-02',
  jkm: { lumpSum: 20_000_000, periodicMonthly: 500_000, periodicMonths: 24, funeral: 10_000_000 },
  jkkDeath: {
    incomeMultiple: 48,
    atLeastJkmLumpSum: true,
    periodicMonthly: 500_000,
    periodicMonths: 24,
    funeral: 10_000_000,
  },
  temporaryIncapacity: { fullPayMonths: 12, fullPayBasisPoints: 10_000, thenBasisPoints: 5_000 },
  scholarship: {
    maxChildren: 2,
    maxTotal: 174_000_000,
    paidMonthsForNonWorkDeath: 36,
    perLevel: [
      { level: 'TK', perYear: 1_500_000, years: 2 },
      { level: 'SD', perYear: 1_500_000, years: 6 },
      { level: 'SMP', perYear: 2_000_000, years: 3 },
      { level: 'SMA', perYear: 3_000_000, years: 3 },
      { level: 'PT', perYear: 12_000_000, years: 5 },
    ],
  },
};

/** Every table, by version. Parsed once at load, so a typo in a figure fails every test at once. */
export const BENEFIT_RULES: Readonly<Record<string, BenefitRules>> = Object.fromEntries(
  [PP82_2019].map((r) => [r.version, BenefitRules.parse(r)]),
);

export class NoBenefitRulesError extends Error {
  constructor(eventDate: string) {
    super(`No benefit rules in force on ${eventDate}`);
    this.name = 'NoBenefitRulesError';
  }
}

/** The table in force on the day of the event: the latest that took effect on or before it. */
export function rulesFor(eventDate: CalendarDate): BenefitRules {
  const inForce = Object.values(BENEFIT_RULES)
    .filter((r) => r.effectiveFrom <= eventDate)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const rules = inForce[0];
  if (!rules) throw new NoBenefitRulesError(eventDate);
  return rules;
}
