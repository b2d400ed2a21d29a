export interface SendLimit {
  windowMs: number;
  max: number;
}

/**
 * Teams' ceilings per bot and conversation ("Optimize your bot with rate limiting in Teams"):
 * 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1800 per hour.
 */
export const TEAMS_CONVERSATION_LIMITS: readonly SendLimit[] = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1800 },
];

/** The same page's global limit: 50 requests per second per app and tenant. */
export const TEAMS_APP_LIMITS: readonly SendLimit[] = [{ windowMs: 1_000, max: 50 }];

/**
 * Sliding-window counters per key (a conversation, or a tenant for the app-wide limit).
 *
 * Teams counts a send when it arrives, which is after we start it and before we see the
 * answer. So a send counts as "now" while in flight and is recorded at its completion time:
 * every arrival then falls inside the window we checked, and jitter on the wire cannot squeeze
 * nine sends into Teams' two seconds.
 */
const IN_FLIGHT_RECHECK_MS = 25;

export class SendWindowLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly longest: number;

  constructor(private readonly limits: readonly SendLimit[]) {
    this.longest = Math.max(0, ...limits.map((l) => l.windowMs));
  }

  /** Milliseconds until one more send under `key` keeps every window within its maximum; 0 for now. */
  delay(key: string, now: number): number {
    const times = this.prune(key, now);
    const flying = this.inFlight.get(key) ?? 0;
    let wait = 0;
    for (const limit of this.limits) {
      const inWindow = times.filter((t) => t > now - limit.windowMs);
      const over = inWindow.length + flying - limit.max + 1;
      if (over <= 0) continue;
      // In-flight sends alone fill the window: look again shortly, once some have finished.
      if (over > inWindow.length) return Math.max(wait, IN_FLIGHT_RECHECK_MS);
      wait = Math.max(wait, inWindow[over - 1] + limit.windowMs - now);
    }
    return Math.max(0, wait);
  }

  begin(key: string): void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
  }

  /** Ends a send begun with `begin`; `at` is when its answer came (it counts even when it failed). */
  finish(key: string, at: number): void {
    const flying = (this.inFlight.get(key) ?? 1) - 1;
    if (flying > 0) this.inFlight.set(key, flying);
    else this.inFlight.delete(key);
    const times = this.sent.get(key) ?? [];
    // Completions arrive nearly in order; insert in place to keep the list sorted.
    let i = times.length;
    while (i > 0 && times[i - 1] > at) i -= 1;
    times.splice(i, 0, at);
    this.sent.set(key, times);
  }

  /** Replaces the finished sends under `key` (sends in flight stay counted): what the store says another process sent. */
  replace(key: string, times: readonly number[]): void {
    if (times.length === 0) this.sent.delete(key);
    else
      this.sent.set(
        key,
        [...times].sort((a, b) => a - b),
      );
  }

  private prune(key: string, now: number): number[] {
    const times = this.sent.get(key);
    if (!times) return [];
    let drop = 0;
    while (drop < times.length && times[drop] <= now - this.longest) drop += 1;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.sent.delete(key);
    return times;
  }
}
