import * as z from 'zod';

/**
 * Contributions run on the Jakarta calendar: a bill covers a calendar month and falls due on a
 * calendar day there. Dates are plain `YYYY-MM-DD` strings and months `YYYY-MM`, never Date objects
 * in local time, so a Lambda in UTC and a laptop in WITA count the same days. Day arithmetic goes
 * through UTC midnight, where every day has 24 hours.
 */

export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => toUtc(d).toISOString().slice(0, 10) === d, 'not a calendar date');
export type CalendarDate = z.infer<typeof CalendarDate>;

/** A month covered by contributions, `YYYY-MM`. */
export const CalendarMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');
export type CalendarMonth = z.infer<typeof CalendarMonth>;

const JAKARTA = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Jakarta',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Jakarta (WIB, UTC+7, no daylight saving) at an instant. */
export function jakartaDate(instant: Date): CalendarDate {
  return JAKARTA.format(instant);
}

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  return toUtc(date).getUTCDay();
}

export const monthOf = (date: CalendarDate): CalendarMonth => date.slice(0, 7);
export const yearOf = (dateOrMonth: string): number => Number(dateOrMonth.slice(0, 4));
export const firstDayOf = (month: CalendarMonth): CalendarDate => `${month}-01`;

export function lastDayOf(month: CalendarMonth): CalendarDate {
  return addDays(firstDayOf(addMonths(month, 1)), -1);
}

export function addMonths(month: CalendarMonth, months: number): CalendarMonth {
  const index = yearOf(month) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`: 0 for the same month, negative when `to` comes first. */
export function monthsBetween(from: CalendarMonth, to: CalendarMonth): number {
  return (yearOf(to) - yearOf(from)) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}
