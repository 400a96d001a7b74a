import { describe, expect, it } from 'vitest';
import { addMonths, jakartaDate, lastDayOf, monthsBetween } from '../../../functions/core/contributions/calendar';
import { dueDate } from '../../../functions/core/contributions/due-date';
import {
  HolidayCalendar,
  HolidayYearMissingError,
  indonesianHolidays,
} from '../../../functions/core/contributions/holidays';

const plain = { cutiBersamaIsHoliday: false };
const withCuti = { cutiBersamaIsHoliday: true };

/** A made-up year to reach cases the real calendars do not have (a national holiday on the 15th). */
const made = (days: { date: string; kind: 'LIBUR_NASIONAL' | 'CUTI_BERSAMA' }[]) =>
  new HolidayCalendar([
    { year: 2029, status: 'official', source: 'test', days: days.map((d) => ({ ...d, name: 'Libur uji' })) },
  ]);

describe('the due date', () => {
  it('is the 15th of the month covered when that is a working day', () => {
    expect(dueDate('2026-01', indonesianHolidays, plain)).toEqual({
      month: '2026-01',
      date: '2026-01-15',
      movedPast: [],
      calendar: 'official',
    });
  });

  it('moves a 15th on a Sunday to the Monday', () => {
    expect(dueDate('2025-06', indonesianHolidays, plain).date).toBe('2025-06-16');
    expect(dueDate('2026-03', indonesianHolidays, plain)).toMatchObject({
      date: '2026-03-16',
      movedPast: [{ date: '2026-03-15', why: 'hari Minggu' }],
    });
  });

  it('keeps a 15th on a Saturday: Saturday counts as a working day (the earlier reading)', () => {
    expect(dueDate('2026-08', indonesianHolidays, plain).date).toBe('2026-08-15');
    expect(dueDate('2025-02', indonesianHolidays, plain).date).toBe('2025-02-15');
  });

  it('moves a 15th on a national holiday, and past consecutive holidays and a Sunday', () => {
    // 2029-01-15 is a Monday.
    expect(dueDate('2029-01', made([{ date: '2029-01-15', kind: 'LIBUR_NASIONAL' }]), plain).date).toBe('2029-01-16');
    const run = made([
      { date: '2029-01-15', kind: 'LIBUR_NASIONAL' },
      { date: '2029-01-16', kind: 'LIBUR_NASIONAL' },
    ]);
    expect(dueDate('2029-01', run, plain).date).toBe('2029-01-17');
    // 2029-04-15 is a Sunday: Sunday, then a holiday Monday, then a holiday Tuesday.
    const afterSunday = made([
      { date: '2029-04-16', kind: 'LIBUR_NASIONAL' },
      { date: '2029-04-17', kind: 'LIBUR_NASIONAL' },
    ]);
    expect(dueDate('2029-04', afterSunday, plain).movedPast.map((d) => d.date)).toEqual([
      '2029-04-15',
      '2029-04-16',
      '2029-04-17',
    ]);
    expect(dueDate('2029-04', afterSunday, plain).date).toBe('2029-04-18');
  });

  it('treats cuti bersama as working days unless the programme says otherwise', () => {
    // February 2026: Sunday 15th, cuti bersama Imlek on the 16th, Imlek itself on the 17th.
    expect(dueDate('2026-02', indonesianHolidays, plain).date).toBe('2026-02-16');
    const moved = dueDate('2026-02', indonesianHolidays, withCuti);
    expect(moved.date).toBe('2026-02-18');
    expect(moved.movedPast).toEqual([
      { date: '2026-02-15', why: 'hari Minggu' },
      { date: '2026-02-16', why: 'cuti bersama: Cuti bersama Tahun Baru Imlek' },
      { date: '2026-02-17', why: 'libur nasional: Tahun Baru Imlek 2577 Kongzili' },
    ]);
    // May 2026: the 15th is cuti bersama (Friday); the next day is a Saturday, a working day.
    expect(dueDate('2026-05', indonesianHolidays, plain).date).toBe('2026-05-15');
    expect(dueDate('2026-05', indonesianHolidays, withCuti).date).toBe('2026-05-16');
  });

  it('says when the year has only a provisional holiday list (the 2027 SKB is not in the data)', () => {
    expect(dueDate('2027-08', indonesianHolidays, plain)).toMatchObject({
      date: '2027-08-16',
      calendar: 'provisional',
    });
  });

  it('refuses a year with no holiday list rather than assuming it has none', () => {
    expect(() => dueDate('2028-01', indonesianHolidays, plain)).toThrow(HolidayYearMissingError);
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => dueDate('2026-13', indonesianHolidays, plain)).toThrow();
  });
});

describe('the holiday data (SKB 3 Menteri)', () => {
  const count = (year: number, kind: string) =>
    indonesianHolidays.year(year).days.filter((d) => d.kind === kind).length;

  it('has the 2025 and 2026 decrees as published: 17 national holidays each, 10 + 1 and 8 cuti bersama', () => {
    expect(count(2025, 'LIBUR_NASIONAL')).toBe(17);
    expect(count(2025, 'CUTI_BERSAMA')).toBe(11); // 10, and 18 August added by SKB 933/2025
    expect(count(2026, 'LIBUR_NASIONAL')).toBe(17);
    expect(count(2026, 'CUTI_BERSAMA')).toBe(8);
    expect(indonesianHolidays.year(2026).source).toContain('1497/2025');
    expect(indonesianHolidays.holiday('2026-03-21')).toMatchObject({
      kind: 'LIBUR_NASIONAL',
      name: 'Idulfitri 1447 Hijriah',
    });
    expect(indonesianHolidays.holiday('2026-03-25')).toBeUndefined();
  });

  it('refuses data with a day outside its year or listed twice', () => {
    const day = { date: '2030-01-01', kind: 'LIBUR_NASIONAL', name: 'x' };
    expect(() => new HolidayCalendar([{ year: 2029, status: 'official', source: 's', days: [day] }])).toThrow();
    expect(() => new HolidayCalendar([{ year: 2030, status: 'official', source: 's', days: [day, day] }])).toThrow();
    expect(
      () =>
        new HolidayCalendar([{ year: 2030, status: 'official', source: 's', days: [{ ...day, date: '2030-02-30' }] }]),
    ).toThrow();
  });
});

describe('Jakarta calendar dates', () => {
  it('turns an instant into the Jakarta day (UTC+7), across a month end', () => {
    expect(jakartaDate(new Date('2026-01-31T16:59:59Z'))).toBe('2026-01-31');
    expect(jakartaDate(new Date('2026-01-31T17:00:00Z'))).toBe('2026-02-01');
  });

  it('does month arithmetic without a time zone', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(lastDayOf('2026-02')).toBe('2026-02-28');
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
  });
});
