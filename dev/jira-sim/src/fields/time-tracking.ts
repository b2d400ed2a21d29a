/**
 * Jira's time tracking field: estimates written as durations ("1w 2d 3h 30m", a bare number is
 * minutes) and kept in seconds, with Jira's default working time (8-hour days, 5-day weeks).
 * Setting the original estimate of an issue nobody logged work on also sets what remains.
 */

export interface TimeTracking {
  originalSeconds?: number;
  remainingSeconds?: number;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 8 * HOUR;
const WEEK = 5 * DAY;
const UNITS: Array<[string, number]> = [
  ['w', WEEK],
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
];

/** Seconds of a duration as Jira reads it, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * MINUTE;
  const parts = trimmed.split(/\s+/);
  let seconds = 0;
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)([wdhm])$/.exec(part);
    if (!match) return null;
    seconds += Number(match[1]) * UNITS.find(([unit]) => unit === match[2])![1];
  }
  return parts.length ? Math.round(seconds) : null;
}

/** A duration as Jira shows it: the largest units first, "0m" for nothing. */
function formatDuration(seconds: number): string {
  let left = Math.round(seconds / MINUTE) * MINUTE;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(left / size);
    if (count) parts.push(`${count}${unit}`);
    left -= count * size;
  }
  return parts.join(' ') || '0m';
}

/** Reads `{ originalEstimate, remainingEstimate }` as an edit sends it, with Jira's error texts. */
export function parseTimeTrackingInput(input: unknown): { value: TimeTracking } | { error: string } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { error: 'Time tracking must be an object with originalEstimate or remainingEstimate.' };
  const { originalEstimate, remainingEstimate } = input as { originalEstimate?: unknown; remainingEstimate?: unknown };
  const value: TimeTracking = {};
  if (originalEstimate !== undefined) {
    const seconds = typeof originalEstimate === 'string' ? parseDuration(originalEstimate) : null;
    if (seconds === null) return { error: 'The original estimate specified is not valid.' };
    value.originalSeconds = seconds;
  }
  if (remainingEstimate !== undefined) {
    const seconds = typeof remainingEstimate === 'string' ? parseDuration(remainingEstimate) : null;
    if (seconds === null) return { error: 'The remaining estimate specified is not valid.' };
    value.remainingSeconds = seconds;
  }
  return { value };
}

/** The time tracking after an edit: an original estimate without a remaining one sets both. */
function mergeTimeTracking(current: TimeTracking | undefined, change: TimeTracking): TimeTracking {
  const next: TimeTracking = { ...current, ...change };
  if (change.originalSeconds !== undefined && change.remainingSeconds === undefined) next.remainingSeconds = change.originalSeconds;
  return next;
}

/**
 * The stored values a time tracking change sets: `timetracking` and the two fields Jira keeps the
 * estimates in, in seconds; those two are what its changelog names (`timetracking` itself is never
 * logged, see applyValues).
 */
export function timeTrackingValues(current: TimeTracking | undefined, change: TimeTracking): Record<string, unknown> {
  const next = mergeTimeTracking(current, change);
  return { timetracking: next, timeoriginalestimate: next.originalSeconds ?? null, timeestimate: next.remainingSeconds ?? null };
}

/** The `timetracking` object of an issue: empty until an estimate is set. */
export function renderTimeTracking(value: TimeTracking | undefined): Record<string, unknown> {
  if (!value) return {};
  return {
    ...(value.originalSeconds !== undefined ? { originalEstimate: formatDuration(value.originalSeconds) } : {}),
    ...(value.remainingSeconds !== undefined ? { remainingEstimate: formatDuration(value.remainingSeconds) } : {}),
    ...(value.originalSeconds !== undefined ? { originalEstimateSeconds: value.originalSeconds } : {}),
    ...(value.remainingSeconds !== undefined ? { remainingEstimateSeconds: value.remainingSeconds } : {}),
  };
}
