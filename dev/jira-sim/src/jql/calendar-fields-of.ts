/** A wall-clock reading; month is 0-based and fields may overflow (day 32), as with Date.UTC. */
export interface CalendarFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone: a caller's bug, not a user's query error.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock at `date` in `timeZone` (an IANA name), or in UTC when none is given. */
export function calendarFieldsOf(date: Date, timeZone?: string): CalendarFields {
  if (!timeZone) {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth(),
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond: date.getUTCMilliseconds(),
      weekday: date.getUTCDay(),
    };
  }
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month) - 1,
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: date.getUTCMilliseconds(),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/**
 * The instant a wall-clock reading denotes in `timeZone` (UTC when none). As in java.time (and
 * so in Jira), a reading that a daylight-saving jump skips moves forward by the jump, and one
 * that the clock repeats takes the earlier instant.
 */
export function instantOf(fields: Omit<CalendarFields, 'weekday'>, timeZone?: string): Date {
  const asUtc = Date.UTC(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond);
  if (!timeZone) return new Date(asUtc);
  const offsetAt = (instant: number) => {
    const f = calendarFieldsOf(new Date(instant), timeZone);
    return Date.UTC(f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond) - instant;
  };
  const firstGuess = asUtc - offsetAt(asUtc);
  const candidate = asUtc - offsetAt(firstGuess);
  // In a skipped hour the candidate's own offset disagrees; the first guess is the moved-forward reading.
  return new Date(offsetAt(candidate) === asUtc - candidate ? candidate : firstGuess);
}
