import { baseConversationId } from './member-directory';

export interface Fault {
  status: number;
  retryAfterSeconds?: number;
  /** Only calls about this conversation (or its threads) fail; all calls when absent. */
  conversationId?: string;
}

/**
 * Decides which incoming calls fail, so retry and backoff code can be driven deterministically:
 * a count of next calls, or every call until a deadline.
 */
export class FaultPlan {
  private queued: Fault[] = [];
  private windows: Array<{ until: number; fault: Fault }> = [];

  failNext(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.queued.push(fault);
  }

  failFor(ms: number, fault: Fault, now = Date.now()): void {
    this.windows.push({ until: now + ms, fault });
  }

  /** The fault for a call arriving now, if any; consumes one queued fault. */
  take(conversationId: string | undefined, now = Date.now()): Fault | undefined {
    const applies = (fault: Fault) =>
      fault.conversationId === undefined ||
      (conversationId !== undefined && (conversationId === fault.conversationId || baseConversationId(conversationId) === fault.conversationId));
    const at = this.queued.findIndex(applies);
    if (at >= 0) return this.queued.splice(at, 1)[0];
    this.windows = this.windows.filter((w) => now < w.until);
    return this.windows.find((w) => applies(w.fault))?.fault;
  }

  clear(): void {
    this.queued = [];
    this.windows = [];
  }
}
