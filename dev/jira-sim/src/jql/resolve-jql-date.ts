import { instantOf } from './calendar-fields-of';
import { addJqlPeriod, parseJqlPeriod } from './parse-jql-period';

const ABSOLUTE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;

/**
 * A JQL date literal as an instant: 'yyyy-MM-dd', 'yyyy/MM/dd', either with ' HH:mm', or a
 * period relative to now ('-2d', '-1w 2d', '4h'). Absolute dates are read on the wall clock
 * of `timeZone` (the searching user's, as in Jira), UTC when none. Undefined when Jira would
 * reject the value.
 */
export function resolveJqlDate(value: string, now: Date, timeZone?: string): Date | undefined {
  const absolute = ABSOLUTE.exec(value.trim());
  if (absolute) {
    const [year, month, day, hour, minute] = absolute.slice(1).map((p) => (p === undefined ? 0 : Number(p)));
    const check = new Date(Date.UTC(year, month - 1, day));
    const valid = check.getUTCMonth() === month - 1 && check.getUTCDate() === day && hour < 24 && minute < 60;
    return valid ? instantOf({ year, month: month - 1, day, hour, minute, second: 0, millisecond: 0 }, timeZone) : undefined;
  }
  const period = parseJqlPeriod(value);
  return period ? addJqlPeriod(now, period, timeZone) : undefined;
}
