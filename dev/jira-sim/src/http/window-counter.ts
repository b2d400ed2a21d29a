/**
 * Counts events per key in fixed windows aligned to the clock (as Jira's quota windows are), so a
 * test that moves the sim clock past a window boundary sees the limit lifted.
 */
export class WindowCounter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number) {}

  private window(key: string, windowMs: number): { start: number; count: number } {
    const start = Math.floor(this.now() / windowMs) * windowMs;
    let entry = this.windows.get(key);
    if (!entry || entry.start !== start) {
      entry = { start, count: 0 };
      this.windows.set(key, entry);
      // Old windows never come back; keep the map from growing with every key ever seen.
      if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (w.start !== start) this.windows.delete(k);
    }
    return entry;
  }

  /** Counts one event unless the window already holds `limit`; answers whether it was admitted. */
  admit(key: string, limit: number, windowMs: number): { admitted: boolean; remaining: number; resetMs: number } {
    const entry = this.window(key, windowMs);
    const resetMs = entry.start + windowMs - this.now();
    if (entry.count >= limit) return { admitted: false, remaining: 0, resetMs };
    entry.count += 1;
    return { admitted: true, remaining: limit - entry.count, resetMs };
  }

  clear(): void {
    this.windows.clear();
  }
}
