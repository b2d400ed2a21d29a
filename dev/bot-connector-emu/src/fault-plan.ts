export interface Fault {
  status: number;
  retryAfterSeconds?: number;
}

/**
 * Decides which incoming calls fail, so retry and backoff code can be driven deterministically:
 * a count of next calls, or every call until a deadline.
 */
export class FaultPlan {
  private queued: Fault[] = [];
  private window?: { until: number; fault: Fault };

  failNext(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.queued.push(fault);
  }

  failFor(ms: number, fault: Fault, now = Date.now()): void {
    this.window = { until: now + ms, fault };
  }

  /** The fault for the call arriving now, if any; consumes one queued fault. */
  take(now = Date.now()): Fault | undefined {
    const queued = this.queued.shift();
    if (queued) return queued;
    if (this.window && now < this.window.until) return this.window.fault;
    return undefined;
  }

  clear(): void {
    this.queued = [];
    this.window = undefined;
  }
}
