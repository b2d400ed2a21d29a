import { calendarFieldsOf, instantOf } from './calendar-fields-of';
import { addJqlPeriod, parseJqlPeriod } from './parse-jql-period';

type Unit = 'd' | 'w' | 'M' | 'y';

const PERIOD_FUNCTIONS: Record<string, { unit: Unit; end: boolean }> = {
  startofday: { unit: 'd', end: false },
  endofday: { unit: 'd', end: true },
  startofweek: { unit: 'w', end: false },
  endofweek: { unit: 'w', end: true },
  startofmonth: { unit: 'M', end: false },
  endofmonth: { unit: 'M', end: true },
  startofyear: { unit: 'y', end: false },
  endofyear: { unit: 'y', end: true },
};

export const JQL_DATE_FUNCTIONS: readonly string[] = ['now', ...Object.keys(PERIOD_FUNCTIONS)];

/**
 * now(), startOfDay(inc) … endOfYear(inc) on the wall clock of `timeZone` (UTC when none).
 * Weeks start on Sunday, as for Jira's default (US English) locale. A bare increment counts
 * in the function's own unit. An end function steps from the next period's start and backs
 * off 1 ms, so endOfMonth(-1M) is the last instant of last month whatever the month lengths.
 * Undefined for an unknown function or a bad increment.
 */
export function evaluateJqlDateFunction(name: string, args: string[], now: Date, timeZone?: string): Date | undefined {
  const lower = name.toLowerCase();
  if (lower === 'now') return args.length === 0 ? now : undefined;
  const spec = PERIOD_FUNCTIONS[lower];
  if (!spec || args.length > 1) return undefined;
  const increment = args.length === 1 ? parseJqlPeriod(args[0], spec.unit) : { months: 0, days: 0, milliseconds: 0 };
  if (!increment) return undefined;
  const start = startOfPeriod(now, spec.unit, timeZone);
  if (!spec.end) return addJqlPeriod(start, increment, timeZone);
  const nextStart = addJqlPeriod(start, parseJqlPeriod(`1${spec.unit}`)!, timeZone);
  return new Date(addJqlPeriod(nextStart, increment, timeZone).getTime() - 1);
}

function startOfPeriod(now: Date, unit: Unit, timeZone: string | undefined): Date {
  const { year, month, day, weekday } = calendarFieldsOf(now, timeZone);
  const midnight = { year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 };
  switch (unit) {
    case 'd':
      return instantOf(midnight, timeZone);
    case 'w':
      return instantOf({ ...midnight, day: day - weekday }, timeZone);
    case 'M':
      return instantOf({ ...midnight, day: 1 }, timeZone);
    case 'y':
      return instantOf({ ...midnight, month: 0, day: 1 }, timeZone);
    default:
      throw new Error(`Unknown period unit ${String(unit)}`);
  }
}
