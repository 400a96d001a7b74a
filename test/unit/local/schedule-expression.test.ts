import { describe, expect, it } from 'vitest';
import { instantIn, ScheduleExpressionError, scheduleTimes } from '../../../infra/local/schedule-expression';

const anchor = new Date('2026-11-25T00:00:00Z');
const next = (expression: string, after: string, options: Partial<Parameters<typeof scheduleTimes>[1]> = {}) =>
  scheduleTimes(expression, { rateAnchor: anchor, ...options })
    .nextAfter(new Date(after))
    ?.toISOString();

describe('scheduleTimes', () => {
  it('fires a monthly cron at 01:00 Asia/Jakarta on the 1st, which is 18:00 UTC the day before', () => {
    const times = scheduleTimes('cron(0 1 1 * ? *)', { timezone: 'Asia/Jakarta', rateAnchor: anchor });
    const first = times.nextAfter(new Date('2026-11-25T00:00:00Z'))!;
    expect(first.toISOString()).toBe('2026-11-30T18:00:00.000Z');
    expect(times.nextAfter(first)!.toISOString()).toBe('2026-12-31T18:00:00.000Z');
  });

  it("reads the day of week as AWS numbers it (1 = Sunday, 2 = Monday) and AWS's 0/15 steps", () => {
    // 2026-11-25 is a Wednesday: the next Monday is the 30th.
    expect(next('cron(0 10 ? * 2 *)', '2026-11-25T00:00:00Z')).toBe('2026-11-30T10:00:00.000Z');
    expect(next('cron(0 10 ? * MON *)', '2026-11-25T00:00:00Z')).toBe('2026-11-30T10:00:00.000Z');
    expect(next('cron(0/15 * * * ? *)', '2026-11-25T00:01:00Z')).toBe('2026-11-25T00:15:00.000Z');
  });

  it('keeps to the year field, and to the start and end dates', () => {
    expect(next('cron(0 1 1 * ? 2027)', '2026-11-25T00:00:00Z')).toBe('2027-01-01T01:00:00.000Z');
    expect(next('cron(0 1 1 * ? 2025)', '2026-11-25T00:00:00Z')).toBeUndefined();
    const startDate = new Date('2027-03-01T00:00:00Z');
    expect(next('cron(0 1 1 * ? *)', '2026-11-25T00:00:00Z', { startDate })).toBe('2027-03-01T01:00:00.000Z');
    expect(
      next('cron(0 1 1 * ? *)', '2026-11-25T00:00:00Z', { endDate: new Date('2026-11-30T00:00:00Z') }),
    ).toBeUndefined();
  });

  it('counts a rate from the start date, or from when the stack started', () => {
    expect(next('rate(5 minutes)', '2026-11-25T00:07:00Z')).toBe('2026-11-25T00:10:00.000Z');
    expect(next('rate(1 hour)', '2026-11-25T00:00:00Z')).toBe('2026-11-25T01:00:00.000Z');
    expect(next('rate(1 day)', '2026-11-25T00:00:00Z', { startDate: new Date('2026-11-25T06:00:00Z') })).toBe(
      '2026-11-25T06:00:00.000Z',
    );
  });

  it('fires at() once, at its wall-clock time in the schedule time zone, and not once it has passed', () => {
    const options = { timezone: 'Asia/Jakarta' };
    expect(next('at(2026-12-01T00:00:00)', '2026-11-25T00:00:00Z', options)).toBe('2026-11-30T17:00:00.000Z');
    expect(next('at(2026-12-01T00:00:00)', '2026-11-30T17:00:00Z', options)).toBeUndefined();
  });

  it('refuses what AWS refuses, saying what is wrong', () => {
    expect(() => scheduleTimes('cron(0 1 1 * ?)', { rateAnchor: anchor })).toThrow(/six fields/);
    expect(() => scheduleTimes('cron(61 1 1 * ? *)', { rateAnchor: anchor })).toThrow(ScheduleExpressionError);
    expect(() => scheduleTimes('rate(0 minutes)', { rateAnchor: anchor })).toThrow(/rate/);
    expect(() => scheduleTimes('at(2026-12-01)', { rateAnchor: anchor })).toThrow(/yyyy-mm-ddThh:mm:ss/);
    expect(() => scheduleTimes('every month', { rateAnchor: anchor })).toThrow(/cron\(...\), rate\(...\) or at\(...\)/);
    expect(() => scheduleTimes('rate(1 day)', { timezone: 'Asia/Kapuas', rateAnchor: anchor })).toThrow(/Asia\/Kapuas/);
  });
});

describe('instantIn', () => {
  it('reads an offset as written, and a time without one in the given zone', () => {
    expect(instantIn('2026-12-01T00:00:00+07:00', 'UTC')?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(instantIn('2026-12-01T00:00:00Z', 'Asia/Jakarta')?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(instantIn('2026-12-01T00:00:00', 'Asia/Jakarta')?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
  });

  it('answers nothing for what is not a date-time', () => {
    expect(instantIn('next month', 'UTC')).toBeUndefined();
    expect(instantIn('2026-12-01', 'UTC')).toBeUndefined();
    expect(instantIn('2026-13-45T00:00:00Z', 'UTC')).toBeUndefined();
  });
});
