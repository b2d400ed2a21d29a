import { calendarFieldsOf, instantOf } from './calendar-fields-of';

/** A signed span such as `-1w 2d`: months and days are calendar steps, hours and minutes fixed. */
export interface JqlPeriod {
  months: number;
  days: number;
  milliseconds: number;
}

const MINUTE = 60_000;

/**
 * Parses Jira's period syntax: an optional sign for the whole span, then `<n><unit>` parts,
 * units y, M (month), w, d, h, m (minute). A bare number takes `defaultUnit` (the date
 * functions' own unit, e.g. days for startOfDay(-1)); without one it is not a period.
 */
export function parseJqlPeriod(text: string, defaultUnit?: string): JqlPeriod | undefined {
  const match = /^([+-])?\s*(.*)$/s.exec(text.trim());
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const body = match[2].trim();
  if (body === '') return undefined;
  if (/^\d+$/.test(body)) return defaultUnit ? parseJqlPeriod(`${match[1] ?? ''}${body}${defaultUnit}`) : undefined;
  const period: JqlPeriod = { months: 0, days: 0, milliseconds: 0 };
  for (const part of body.split(/\s+/)) {
    const unitMatch = /^(\d+)([yMwdhmWDHY])$/.exec(part);
    if (!unitMatch) return undefined;
    const amount = sign * Number(unitMatch[1]);
    const unit = unitMatch[2] === 'M' ? 'M' : unitMatch[2].toLowerCase();
    if (unit === 'y') period.months += 12 * amount;
    else if (unit === 'M') period.months += amount;
    else if (unit === 'w') period.days += 7 * amount;
    else if (unit === 'd') period.days += amount;
    else if (unit === 'h') period.milliseconds += 60 * MINUTE * amount;
    else period.milliseconds += MINUTE * amount;
  }
  return period;
}

/**
 * Steps months and days on the wall clock of `timeZone` (UTC when none), so a day stays a day
 * across a daylight-saving change; a month step clamps to the month's last day (Jan 31 + 1M
 * is Feb 28 or 29).
 */
export function addJqlPeriod(date: Date, period: JqlPeriod, timeZone?: string): Date {
  if (period.months === 0 && period.days === 0) return new Date(date.getTime() + period.milliseconds);
  const fields = calendarFieldsOf(date, timeZone);
  const month = fields.month + period.months;
  const lastDay = new Date(Date.UTC(fields.year, month + 1, 0)).getUTCDate();
  const day = Math.min(fields.day, lastDay) + period.days;
  return new Date(instantOf({ ...fields, month, day }, timeZone).getTime() + period.milliseconds);
}
