import * as z from 'zod';
import type { Programme } from '../../programmes/programme';
import { CalendarMonth, jakartaDate, monthOf } from '../calendar';
import type { ContributionTerms } from '../terms';

// The shapes the billing steps share, apart from any one step: a step's bundle then carries only its own
// work (the issuing step's workbook library stays out of the mailing and payment-code steps).

/** A programme as billing sees it: the catalogue's record and its contribution terms. */
export type BilledProgramme = { programme: Programme; terms: ContributionTerms };

/** What the monthly run hands from one state to the next: the month and the bills, by id only. */
export const MonthlyRun = z.object({
  month: CalendarMonth,
  bills: z.array(
    z.object({ programmeId: z.string(), month: CalendarMonth, outcome: z.enum(['ISSUED', 'ALREADY_ISSUED']) }),
  ),
  /** The step ran out of time with participants left: the workflow runs it again (bill-steps.ts). */
  more: z.boolean(),
});
export type MonthlyRun = z.infer<typeof MonthlyRun>;

/** The month a run bills: the Jakarta month of the time the schedule was due to fire (not of when it ran). */
export const billingMonth = (scheduledTime: Date): CalendarMonth => monthOf(jakartaDate(scheduledTime));
