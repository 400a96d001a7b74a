import * as z from 'zod';
import { CalendarDate, yearOf } from './calendar';
import { HOLIDAY_YEARS } from './holidays-data';

/** A day off the SKB 3 Menteri names: a national holiday by law, or a collective leave day. */
const HolidayKind = z.enum(['LIBUR_NASIONAL', 'CUTI_BERSAMA']);
export type HolidayKind = z.infer<typeof HolidayKind>;

export const Holiday = z.object({ date: CalendarDate, kind: HolidayKind, name: z.string().min(1) });
export type Holiday = z.infer<typeof Holiday>;

/**
 * One year's days off. `provisional` means the year's SKB is not in the data yet and only some days
 * are known, so dates computed from it may come out early (see holidays-data.ts).
 */
export const HolidayYear = z
  .object({
    year: z.number().int().min(2000),
    status: z.enum(['official', 'provisional']),
    source: z.string().min(1),
    days: z.array(Holiday),
  })
  .refine((y) => y.days.every((d) => yearOf(d.date) === y.year), 'a day outside its year')
  .refine((y) => new Set(y.days.map((d) => d.date)).size === y.days.length, 'a day listed twice');
export type HolidayYear = z.infer<typeof HolidayYear>;

export class HolidayYearMissingError extends Error {
  constructor(readonly year: number) {
    super(`No holiday list for ${year}: add the SKB 3 Menteri for ${year} to holidays-data.ts`);
    this.name = 'HolidayYearMissingError';
  }
}

/** The days off of the years we have, looked up by date. */
export class HolidayCalendar {
  private readonly years = new Map<number, HolidayYear>();
  private readonly byDate = new Map<string, Holiday>();

  /** Takes the data as written and checks it (dates, years, duplicates) before any date is computed. */
  constructor(years: readonly unknown[]) {
    for (const y of years) {
      const parsed = HolidayYear.parse(y);
      this.years.set(parsed.year, parsed);
      for (const d of parsed.days) this.byDate.set(d.date, d);
    }
  }

  /** The year's list; a year we have no list for throws rather than pretending it has no holidays. */
  year(year: number): HolidayYear {
    const y = this.years.get(year);
    if (!y) throw new HolidayYearMissingError(year);
    return y;
  }

  holiday(date: CalendarDate): Holiday | undefined {
    this.year(yearOf(date));
    return this.byDate.get(date);
  }
}

/** The Indonesian calendar from the SKB 3 Menteri data. */
export const indonesianHolidays = new HolidayCalendar(HOLIDAY_YEARS);
