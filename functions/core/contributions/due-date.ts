import * as z from 'zod';
import { addDays, CalendarDate, CalendarMonth, dayOfWeek, yearOf } from './calendar';
import { type Holiday, type HolidayCalendar } from './holidays';

/**
 * When a month's contributions are due: the 15th of the month covered (DOMAIN.md, "Contributions";
 * Permenaker 5/2021), moved to the next working day when the 15th is not one.
 *
 * What counts as a working day is decided here, and decided on the early side:
 * - Sunday and a national holiday (libur nasional) are not working days: the reading, and
 *   the one every source agrees with.
 * - Saturday IS a working day. DOMAIN.md only says "next working day if a holiday" and the issue
 *   moves the date for Sundays and holidays only; banks that collect BPJS contributions keep some
 *   branches open on Saturdays, so BPJS may well count the 15th on a Saturday as the deadline.
 *   Reading it the other way would move the deadline to Monday and could let a regency pay two days
 *   after BPJS thinks it was due. The earlier reading can only make the regency pay early (its
 *   treasury does not work on Saturdays, so in practice by the Friday): never late.
 * - Cuti bersama are working days unless the programme says otherwise (`cutiBersamaIsHoliday`):
 *   they are leave days, not holidays in law, and banks serve the public on them. Same reasoning:
 *   the earlier date is the one that cannot make a payment late.
 * A year whose holiday list is provisional (the SKB not yet in the data) may miss a moving holiday,
 * which again can only make the date early; the result says so, so the notice can say so too.
 */

const DUE_DAY_OF_MONTH = 15;

export const DueDate = z.object({
  month: CalendarMonth,
  date: CalendarDate,
  /** The days passed over, in order, with why: what a finance officer checks the date against. */
  movedPast: z.array(z.object({ date: CalendarDate, why: z.string() })),
  /** `provisional` when the year's SKB is not in the data yet (the date may be early). */
  calendar: z.enum(['official', 'provisional']),
});
export type DueDate = z.infer<typeof DueDate>;

export type DueDateRules = {
  /** Whether a cuti bersama day moves the due date like a national holiday. Default false (see above). */
  cutiBersamaIsHoliday: boolean;
};

function notWorkingBecause(date: CalendarDate, holidays: HolidayCalendar, rules: DueDateRules): string | undefined {
  const holiday: Holiday | undefined = holidays.holiday(date);
  if (holiday && (holiday.kind === 'LIBUR_NASIONAL' || rules.cutiBersamaIsHoliday)) {
    return `${holiday.kind === 'LIBUR_NASIONAL' ? 'libur nasional' : 'cuti bersama'}: ${holiday.name}`;
  }
  if (dayOfWeek(date) === 0) return 'hari Minggu';
  return undefined;
}

/** The due date of the contributions for `month` (`YYYY-MM`). */
export function dueDate(month: CalendarMonth, holidays: HolidayCalendar, rules: DueDateRules): DueDate {
  CalendarMonth.parse(month);
  let date = `${month}-${String(DUE_DAY_OF_MONTH).padStart(2, '0')}`;
  const movedPast: DueDate['movedPast'] = [];
  for (let why = notWorkingBecause(date, holidays, rules); why; why = notWorkingBecause(date, holidays, rules)) {
    movedPast.push({ date, why });
    date = addDays(date, 1);
  }
  return { month, date, movedPast, calendar: holidays.year(yearOf(date)).status };
}
