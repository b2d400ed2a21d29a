/** A signed span such as `-1w 2d`; months and years are calendar steps, the rest fixed lengths. */
export interface JqlPeriod {
  months: number;
  milliseconds: number;
}

const MINUTE = 60_000;
const UNIT_MILLISECONDS: Record<string, number> = { w: 7 * 24 * 60 * MINUTE, d: 24 * 60 * MINUTE, h: 60 * MINUTE, m: MINUTE };

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
  const parts = body.split(/\s+/);
  const period: JqlPeriod = { months: 0, milliseconds: 0 };
  for (const part of parts) {
    const unitMatch = /^(\d+)([yMwdhmWDHY])$/.exec(part);
    if (!unitMatch) return undefined;
    const amount = sign * Number(unitMatch[1]);
    const unit = unitMatch[2] === 'M' ? 'M' : unitMatch[2].toLowerCase();
    if (unit === 'y') period.months += 12 * amount;
    else if (unit === 'M') period.months += amount;
    else period.milliseconds += amount * UNIT_MILLISECONDS[unit];
  }
  return period;
}

/** Month steps clamp to the month's last day, so Jan 31 + 1M is Feb 28 (or 29). UTC throughout. */
export function addJqlPeriod(date: Date, period: JqlPeriod): Date {
  let time = date.getTime();
  if (period.months !== 0) {
    const shifted = new Date(time);
    const day = shifted.getUTCDate();
    shifted.setUTCDate(1);
    shifted.setUTCMonth(shifted.getUTCMonth() + period.months);
    const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
    shifted.setUTCDate(Math.min(day, lastDay));
    time = shifted.getTime();
  }
  return new Date(time + period.milliseconds);
}
