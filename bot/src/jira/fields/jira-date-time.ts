const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A `yyyy-MM-dd` string naming a real calendar day. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [y, m, d] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Minutes east of UTC in `timeZone` at an instant, e.g. 60 for Europe/Paris in winter. */
function offsetMinutes(instant: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/**
 * The date-time Jira's create API takes (`2026-11-28T14:30:00.000+0100`) for a wall-clock date
 * and time as the user picked them in `timeZone` (the IANA zone Teams reports for the user,
 * `activity.localTimezone`). Undefined when the date or time is not real; an unknown zone
 * counts as UTC.
 */
export function jiraDateTime(date: string, time: string, timeZone = 'UTC'): string | undefined {
  const t = TIME.exec(time);
  if (!isCalendarDate(date) || !t) return undefined;
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? '0')];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, mi, s);
  let offset: number;
  try {
    // The offset depends on the instant, which depends on the offset: one refinement settles
    // it except inside a daylight-saving gap, where either answer is a fair reading.
    offset = offsetMinutes(wall, timeZone);
    offset = offsetMinutes(wall - offset * 60_000, timeZone);
  } catch {
    offset = 0;
  }
  const sign = offset < 0 ? '-' : '+';
  return `${date}T${pad(h)}:${pad(mi)}:${pad(s)}.000${sign}${pad(Math.trunc(offset / 60))}${pad(offset % 60)}`;
}
