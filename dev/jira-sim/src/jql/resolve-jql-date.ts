import { addJqlPeriod, parseJqlPeriod } from './parse-jql-period';

const ABSOLUTE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;

/**
 * A JQL date literal as an instant: 'yyyy-MM-dd', 'yyyy/MM/dd', either with ' HH:mm', or a
 * period relative to now ('-2d', '-1w 2d', '4h'). Absolute dates are read in UTC, the
 * simulator's only time zone. Undefined when Jira would reject the value.
 */
export function resolveJqlDate(value: string, now: Date): Date | undefined {
  const absolute = ABSOLUTE.exec(value.trim());
  if (absolute) {
    const [year, month, day, hour, minute] = absolute.slice(1).map((p) => (p === undefined ? 0 : Number(p)));
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
    const valid = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60;
    return valid ? date : undefined;
  }
  const period = parseJqlPeriod(value);
  return period ? addJqlPeriod(now, period) : undefined;
}
