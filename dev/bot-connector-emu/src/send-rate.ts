/** Teams' per-bot, per-conversation send ceilings (Microsoft Teams "Rate limiting for bots"). */
export const TEAMS_SEND_LIMITS: readonly SendLimit[] = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1800 },
];

export interface SendLimit {
  windowMs: number;
  max: number;
}

export interface WindowPeak extends SendLimit {
  /** Most sends seen inside any sliding window of this length. */
  peak: number;
}

export interface SendRate {
  count: number;
  timestamps: number[];
  windows: WindowPeak[];
  withinLimits: boolean;
}

/** Peaks over sliding windows, so a test can assert a sender stayed under each ceiling. */
export function sendRate(timestamps: readonly number[], limits: readonly SendLimit[] = TEAMS_SEND_LIMITS): SendRate {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const windows = limits.map((limit) => ({ ...limit, peak: peakInWindow(sorted, limit.windowMs) }));
  return {
    count: sorted.length,
    timestamps: sorted,
    windows,
    withinLimits: windows.every((w) => w.peak <= w.max),
  };
}

/** True when one more send at `now` would break a ceiling. */
export function wouldExceed(timestamps: readonly number[], now: number, limits: readonly SendLimit[] = TEAMS_SEND_LIMITS): boolean {
  return limits.some((limit) => timestamps.filter((t) => t > now - limit.windowMs).length >= limit.max);
}

function peakInWindow(sorted: readonly number[], windowMs: number): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
