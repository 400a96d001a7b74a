import * as z from 'zod';

/**
 * A programme is one funding source of one regency for one period: who may be proposed, how many,
 * and what the regency pays for them. Programmes are configuration (see catalogue.ts), never code,
 * because every regency and every budget year differs (shared/DOMAIN.md).
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const FundingSource = z.enum(['APBD', 'DBH_SAWIT', 'APBDES']);
export type FundingSource = z.infer<typeof FundingSource>;

export const Benefit = z.enum(['JKK', 'JKM', 'JHT', 'JP']);
export type Benefit = z.infer<typeof Benefit>;

/** A quota over the whole programme (APBD, DBH Sawit) or a cap for each desa (APBDes). */
const Quota = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('programme'), limit: z.number().int().positive() }),
  z.object({ scope: z.literal('desa'), limitPerDesa: z.number().int().positive() }),
]);
export type Quota = z.infer<typeof Quota>;

/**
 * Bounds against a slip or a hostile edit, far above any real figure (BPU rates are 1% and 2%, JKM
 * Rp6,800; incomes of the BPU brackets are in the millions): a figure past them is a typo, and a bill
 * priced from it would be paid from the regency's budget.
 */
const PERCENT_CAP = 20;
const RUPIAH_CAP = 1_000_000;
const INCOME_CAP = 100_000_000;
/** Text an admin types (names, legal bases, reasons): one line or a paragraph, never a document. */
const text = (max: number) => z.string().trim().min(1).max(max);
/** A link shown to auditors: the web only (a `javascript:` URL in an href would run in their browser). */
const webUrl = z
  .string()
  .url()
  .max(500)
  .refine((u) => /^https?:\/\//i.test(u), 'http or https only');

const ContributionRates = z.object({
  /** JKK as a percentage of declared monthly income (1% for BPU, PP 44/2015 Lampiran II). */
  jkkPercentOfIncome: z.number().nonnegative().max(PERCENT_CAP),
  /** JKM flat per month in rupiah (Rp6,800 for BPU). */
  jkmMonthly: z.number().int().nonnegative().max(RUPIAH_CAP),
  /** JHT as a percentage of declared income, where a regency covers it (2% for BPU). */
  jhtPercentOfIncome: z.number().nonnegative().max(PERCENT_CAP).default(0),
  /** JP flat per month, where a regency covers it (programme configuration). */
  jpMonthly: z.number().int().nonnegative().max(RUPIAH_CAP).default(0),
});
export type ContributionRates = z.infer<typeof ContributionRates>;

const calendarMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/**
 * Rates that change during a programme (a new Peraturan Pemerintah, a higher bracket): in force from
 * `effectiveFrom` until the next change. The programme's own `rates` and `declaredMonthlyIncome` hold
 * from its first month; months already billed keep the rates they were billed at (refusals.ts).
 */
const RateChange = z.object({
  effectiveFrom: calendarMonth,
  declaredMonthlyIncome: z.number().int().positive().max(INCOME_CAP),
  rates: ContributionRates,
  /** The regulation the new rates come from. */
  legalBasis: text(500).optional(),
});

/** The document behind the legal basis (a Keputusan Bupati, a PKS), as auditors look it up. */
const LegalBasisDocument = z.object({
  title: text(300),
  number: text(100).optional(),
  issuedOn: isoDate.optional(),
  /** Where the signed document can be read (JDIH of the regency, or the uploads bucket). */
  url: webUrl.optional(),
});

/**
 * Why JP is a setting, off unless a programme turns it on: PP 45/2015 gives Jaminan Pensiun to wage
 * earners, so whether a regency may pay it for BPU workers is doubtful (DOMAIN.md, "Not confirmed").
 * The console shows this sentence beside the setting.
 */
export const JP_DISABLED_REASON =
  'JP (Jaminan Pensiun) untuk peserta Bukan Penerima Upah belum pasti dasar hukumnya: PP 45/2015 ' +
  'membatasi JP bagi pekerja penerima upah. Karena itu JP nonaktif, kecuali Dinas Sosial mengaktifkannya ' +
  'dengan dasar hukum yang jelas.';

export const Programme = z.object({
  id: z
    .string()
    .max(60)
    .regex(/^[a-z0-9][a-z0-9-]+$/),
  /** Each change makes a new version (1, 2, ...); proposals, bills and claims record the one they were judged by. */
  version: z.number().int().positive().default(1),
  /** Who made this version, when, and why (absent on a seed version nobody has edited). */
  changedBy: z.string().min(1).optional(),
  changedAt: z.string().datetime({ offset: true }).optional(),
  reason: text(1_000).optional(),
  name: text(200),
  regency: z.object({ code: z.string().regex(/^\d{2}\.\d{2}$/), name: z.string() }),
  fundingSource: FundingSource,
  /** Legal basis shown to auditors, e.g. the Keputusan Bupati or PKS number. */
  legalBasis: text(500).optional(),
  legalBasisDocument: LegalBasisDocument.optional(),
  /** Where the figures come from (DOMAIN.md's sources, a regulation), and what is not confirmed. */
  sources: z.array(text(1_000)).max(30).optional(),
  quota: Quota,
  coverage: z.object({ start: isoDate, end: isoDate }),
  benefits: z.array(Benefit).min(1),
  /** Declared monthly income in rupiah; the lowest BPU bracket is Rp1,000,000. */
  declaredMonthlyIncome: z.number().int().positive().max(INCOME_CAP),
  rates: ContributionRates,
  /** Later rates, each from its month, in order (see RateChange). */
  rateChanges: z.array(RateChange).max(60).default([]),
  /**
   * JP for BPU is doubtful in law (JP_DISABLED_REASON): off unless turned on; a programme that lists
   * JP among its benefits while this is off is refused (programmeProblems).
   */
  jpEnabled: z.boolean().default(false),
  /**
   * Unpaid months after which BPJS makes a BPU member non-active. Sources say 3 or "more than 3"
   * (DOMAIN.md), so a setting; the contribution terms take it from here.
   */
  lapseAfterUnpaidMonths: z.number().int().min(1).max(12).default(3),
  /** Age limits at coverage start. Unconfirmed in the regulations, hence configurable. */
  ageLimits: z
    .object({ min: z.number().int().nonnegative().max(120), max: z.number().int().positive().max(120) })
    .refine((a) => a.min <= a.max, 'min above max'),
  /** Occupation categories the programme names; anything else is a warning, not an error. */
  occupations: z.array(text(100)).min(1).max(100),
  /** A DTSEN decile above this deserves a warning (assistance usually targets deciles 1-4). */
  dtsenDecileThreshold: z.number().int().min(1).max(10).default(4),
  /** Who approves proposals (Kepala Dinas Sosial) and who else hears about them. */
  approverEmail: z.string().email().max(254),
  /** How long an approval link stays valid before the proposal expires. */
  approvalTimeoutDays: z.number().int().positive().max(20),
});
export type Programme = z.infer<typeof Programme>;

/** Benefits whose contribution the programme pays, per person per month, in rupiah. */
export function monthlyContributionPerPerson(programme: Programme): number {
  const { rates, declaredMonthlyIncome: income, benefits } = programme;
  let total = 0;
  if (benefits.includes('JKK')) total += Math.round((income * rates.jkkPercentOfIncome) / 100);
  if (benefits.includes('JKM')) total += rates.jkmMonthly;
  if (benefits.includes('JHT')) total += Math.round((income * rates.jhtPercentOfIncome) / 100);
  if (benefits.includes('JP')) total += rates.jpMonthly;
  return total;
}

/** Whole calendar months covered, counting the start and end months (1 March to 30 September = 7). */
export function coverageMonths(programme: Programme): number {
  const [sy, sm] = programme.coverage.start.split('-').map(Number) as [number, number];
  const [ey, em] = programme.coverage.end.split('-').map(Number) as [number, number];
  return (ey - sy) * 12 + (em - sm) + 1;
}

/**
 * The budget the programme implies at full quota. For a per-desa quota the figure is per desa,
 * since how many desa take part is only known as they propose.
 */
export function impliedBudget(programme: Programme): {
  perPersonMonthly: number;
  months: number;
  people: number;
  total: number;
  per: 'programme' | 'desa';
} {
  const perPersonMonthly = monthlyContributionPerPerson(programme);
  const months = coverageMonths(programme);
  const people = programme.quota.scope === 'programme' ? programme.quota.limit : programme.quota.limitPerDesa;
  return { perPersonMonthly, months, people, total: perPersonMonthly * months * people, per: programme.quota.scope };
}
