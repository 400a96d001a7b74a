import { addDays, dayOfWeek, jakartaDate, type CalendarDate } from '../../contributions/calendar';
import { HolidayYearMissingError, type HolidayCalendar } from '../../contributions/holidays';

/** BPJS pays within 3 working days of a complete file (UU 40/2004; DOMAIN.md). */
export const BPJS_PROMISED_WORKING_DAYS = 3;

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

/** The last day BPJS may decide a claim filed at `submittedAt`: 3 working days after the day it was filed (Jakarta). */
export function bpjsPromisedBy(submittedAt: string, holidays: HolidayCalendar): CalendarDate {
  let date = jakartaDate(new Date(submittedAt));
  for (let left = BPJS_PROMISED_WORKING_DAYS; left > 0;) {
    date = addDays(date, 1);
    if (isWorkingDay(date, holidays)) left -= 1;
  }
  return date;
}

/** Whether BPJS has broken its promise by `now`: the promised day is over in Jakarta. */
export const bpjsIsLate = (submittedAt: string, now: Date, holidays: HolidayCalendar) =>
  jakartaDate(now) > bpjsPromisedBy(submittedAt, holidays);
