import { addDays, dayOfWeek, jakartaDate, type CalendarDate } from '../../contributions/calendar';
import { HolidayYearMissingError, type HolidayCalendar } from '../../contributions/holidays';

const isWorkingDay = (date: CalendarDate, holidays: HolidayCalendar) => {
  const weekday = dayOfWeek(date);
  if (weekday === 0 || weekday === 6) return false;
  try {
    return !holidays.holiday(date);
  } catch (error) {
    // A year with no holiday list yet: weekends only, rather than no alert at all.
    if (error instanceof HolidayYearMissingError) return true;
    throw error;
  }
};

/**
 * The last day BPJS may decide a claim filed at `submittedAt`: `workingDays` (claim-settings.ts
 * `bpjsPromiseWorkingDays`, 3 by UU 40/2004) working days after the day it was filed, in Jakarta.
 */
export function bpjsPromisedBy(submittedAt: string, holidays: HolidayCalendar, workingDays: number): CalendarDate {
  let date = jakartaDate(new Date(submittedAt));
  for (let left = workingDays; left > 0;) {
    date = addDays(date, 1);
    if (isWorkingDay(date, holidays)) left -= 1;
  }
  return date;
}

/** Whether BPJS has broken its promise by `now`: the promised day is over in Jakarta. */
export const bpjsIsLate = (submittedAt: string, now: Date, holidays: HolidayCalendar, workingDays: number) =>
  jakartaDate(now) > bpjsPromisedBy(submittedAt, holidays, workingDays);
