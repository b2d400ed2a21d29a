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
 * now(), startOfDay(inc) … endOfYear(inc) in UTC. Weeks start on Sunday, as for Jira's default
 * (US English) locale. A bare increment counts in the function's own unit. An end function
 * steps from the next period's start and backs off 1 ms, so endOfMonth(-1M) is the last
 * instant of last month whatever the month lengths. Undefined for an unknown function or a
 * bad increment.
 */
export function evaluateJqlDateFunction(name: string, args: string[], now: Date): Date | undefined {
  const lower = name.toLowerCase();
  if (lower === 'now') return args.length === 0 ? now : undefined;
  const spec = PERIOD_FUNCTIONS[lower];
  if (!spec || args.length > 1) return undefined;
  const increment = args.length === 1 ? parseJqlPeriod(args[0], spec.unit) : { months: 0, milliseconds: 0 };
  if (!increment) return undefined;
  const start = startOfPeriod(now, spec.unit);
  if (!spec.end) return addJqlPeriod(start, increment);
  const nextStart = addJqlPeriod(start, parseJqlPeriod(`1${spec.unit}`)!);
  return new Date(addJqlPeriod(nextStart, increment).getTime() - 1);
}

function startOfPeriod(now: Date, unit: Unit): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  switch (unit) {
    case 'd':
      return new Date(Date.UTC(year, month, day));
    case 'w':
      return new Date(Date.UTC(year, month, day - now.getUTCDay()));
    case 'M':
      return new Date(Date.UTC(year, month, 1));
    case 'y':
      return new Date(Date.UTC(year, 0, 1));
    default:
      throw new Error(`Unknown period unit ${String(unit)}`);
  }
}
