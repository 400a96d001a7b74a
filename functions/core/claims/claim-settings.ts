import * as z from 'zod';

/**
 * A programme's claim settings. What DOMAIN.md states is the default; what it leaves unconfirmed
 * is a setting whose default is the safer reading: two approvers sooner rather than later, a lapsed
 * participant's death refused rather than promised, a late JKK report warned rather than missed.
 */
export const ClaimSettings = z.object({
  /** A benefit above this (rupiah) needs two different approvers; at or below, one. */
  twoApproversAbove: z.number().int().nonnegative().default(50_000_000),
  /** Remind the filer of missing documents every this many days. */
  documentReminderDays: z.number().int().positive().default(3),
  /** BPJS pays within this many working days of a complete file (UU 40/2004): past it, chase. */
  bpjsPromiseWorkingDays: z.number().int().positive().default(3),
  /** JKK tahap I report due within this many hours of the accident (Permenaker 5/2021 as amended, Ps. 8). */
  jkkReportHours: z.number().int().positive().default(48),
  /** The right to a JKK benefit lapses this many years after the accident (PP 82/2019 Ps. 26). */
  jkkLapseYears: z.number().int().positive().default(5),
  /**
   * A death while the participant was in ARREARS: BPJS still held the member active, but the
   * unpaid months are the regency's to settle, so Dinas Sosial must see it (FLAG, a warning).
   */
  deathInArrears: z.enum(['FLAG', 'REFUSE']).default('FLAG'),
  /**
   * A death (or an accident) while LAPSED is probably not covered (DOMAIN.md): refused by default, so
   * no family is promised a benefit BPJS would not pay; FLAG lets it through with a warning.
   */
  eventWhileLapsed: z.enum(['FLAG', 'REFUSE']).default('REFUSE'),
});
export type ClaimSettings = z.infer<typeof ClaimSettings>;
