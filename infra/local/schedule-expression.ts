// croner rather than cron-parser: it reads AWS's six-field cron as it is (a year field, `?`, L, W and #,
// and Quartz's weekday numbers, 1 = Sunday, which AWS uses), keeps time zones with Node's own Intl
// (cron-parser needs luxon and has neither the year field nor Sunday = 1), and has no dependencies.
import { Cron } from 'croner';

/**
 * When an EventBridge Scheduler schedule fires, from its ScheduleExpression, ScheduleExpressionTimezone,
 * StartDate and EndDate, as AWS documents them: `cron(minutes hours day-of-month month day-of-week year)`
 * and `at(yyyy-mm-ddThh:mm:ss)` in the schedule's time zone, `rate(value unit)` counted from the start
 * date (or, locally, from when the stack started: AWS counts from when the schedule was created).
 */
export type ScheduleTimes = {
  expression: string;
  timezone: string;
  /** The first fire time strictly after `after`, or undefined when the schedule fires no more. */
  nextAfter(after: Date): Date | undefined;
};

export class ScheduleExpressionError extends Error {}

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The largest value of each AWS cron field (minutes .. year), to write `5/15` as croner's `5-59/15`. */
const FIELD_MAX = [59, 23, 31, 12, 7, 2199];

export function scheduleTimes(
  expression: string,
  options: { timezone?: string; startDate?: Date; endDate?: Date; rateAnchor: Date },
): ScheduleTimes {
  const timezone = options.timezone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new ScheduleExpressionError(
      `Unknown ScheduleExpressionTimezone ${timezone} (an IANA name such as Asia/Jakarta)`,
    );
  }
  const within = (d: Date | undefined) =>
    d && (!options.startDate || d >= options.startDate) && (!options.endDate || d <= options.endDate) ? d : undefined;
  // A start date in the future: nothing fires before it.
  const from = (after: Date) =>
    options.startDate && options.startDate > after ? new Date(options.startDate.getTime() - 1) : after;

  const [, kind, body] = /^(cron|rate|at)\((.*)\)$/.exec(expression.trim()) ?? [];
  if (kind === 'cron') {
    const fields = body!.trim().split(/\s+/);
    if (fields.length !== 6)
      throw new ScheduleExpressionError(
        `${expression}: AWS cron has six fields (minutes hours day-of-month month day-of-week year)`,
      );
    const pattern = [
      '0',
      ...fields.map((f, i) =>
        f.replace(/(^|,)(\d+)\/(\d+)/g, (_, sep, start, step) => `${sep}${start}-${FIELD_MAX[i]}/${step}`),
      ),
    ];
    let cron: Cron;
    try {
      cron = new Cron(pattern.join(' '), { timezone, mode: '7-part', alternativeWeekdays: true, paused: true });
    } catch (error) {
      throw new ScheduleExpressionError(`${expression}: ${(error as Error).message}`);
    }
    return { expression, timezone, nextAfter: (after) => within(cron.nextRun(from(after)) ?? undefined) };
  }
  if (kind === 'rate') {
    const [, value, unit] = /^\s*(\d+)\s+(minute|hour|day)s?\s*$/.exec(body!) ?? [];
    if (!value || Number(value) < 1)
      throw new ScheduleExpressionError(`${expression}: a rate is rate(<n> minute|minutes|hour|hours|day|days)`);
    const period = Number(value) * RATE_UNITS[unit!]!;
    const anchor = (options.startDate ?? options.rateAnchor).getTime();
    return {
      expression,
      timezone,
      nextAfter: (after) => {
        const periods = Math.max(0, Math.floor((after.getTime() - anchor) / period) + 1);
        return within(new Date(anchor + periods * period));
      },
    };
  }
  if (kind === 'at') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body!.trim()))
      throw new ScheduleExpressionError(`${expression}: at() takes yyyy-mm-ddThh:mm:ss`);
    const at = localTime(body!.trim(), timezone);
    return { expression, timezone, nextAfter: (after) => within(at > after ? at : undefined) };
  }
  throw new ScheduleExpressionError(`${expression}: a schedule expression is cron(...), rate(...) or at(...)`);
}

/**
 * The instant an ISO 8601 date-time names: with an offset (or Z) as written, without one in `timezone`
 * (as at() reads it). Undefined when it is not a date-time.
 */
export function instantIn(text: string, timezone: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const at = hasOffset ? new Date(text) : localTime(text.replace(/\.\d+$/, ''), timezone);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** A wall-clock time in a time zone as an instant (croner does the zone arithmetic, DST included). */
function localTime(wallClock: string, timezone: string): Date {
  const withSeconds = wallClock.length === 16 ? `${wallClock}:00` : wallClock;
  const once = new Cron(withSeconds, { timezone, paused: true });
  // A one-time pattern's next run after the epoch is that time itself, past or future.
  const at = once.nextRun(new Date(0));
  if (!at) throw new ScheduleExpressionError(`${wallClock} is not a time in ${timezone}`);
  return at;
}
