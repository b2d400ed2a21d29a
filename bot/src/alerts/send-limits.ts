import type { Clock } from '../jira/clock';
import type { AlertOutbox, AlertTarget } from './alert-outbox';
import { SendWindowLimiter, TEAMS_APP_LIMITS, TEAMS_CONVERSATION_LIMITS, type SendLimit } from './send-window-limiter';

export interface SendLimits {
  /**
   * Milliseconds until the conversation's own windows allow one more send; 0 for now. This
   * process's own windows answer at once; windows shared by several instances (Redis) answer with
   * a promise, and their 0 has taken the slot for the `begin` that follows.
   */
  conversationDelay(conversationId: string): number | Promise<number>;
  /** Waits out the tenant's app-wide window (short: 50 per second). */
  waitForApp(tenantId: string, signal: AbortSignal): Promise<void>;
  /**
   * Counts a send from now on, in both windows: the limiter must see it before any other drain
   * checks. Call the returned function when Teams answered (it may be called more than once).
   */
  begin(target: AlertTarget): () => void;
  /** Counts what earlier processes sent in the last hour, so a restart does not burst past Teams' ceilings. */
  seed(outbox: Pick<AlertOutbox, 'recentSends'>): Promise<void>;
  /**
   * This instance now owns the conversation: its window becomes what the store recorded (sends of
   * a previous owner included), so a takeover does not burst past Teams' ceilings. The store does
   * not know a send the previous owner still had on the wire; windows shared by all instances
   * (Redis) count it, and keep this only for when they are unreachable.
   */
  adopt(conversationId: string, outbox: Pick<AlertOutbox, 'recentSendsTo'>): Promise<void>;
}

/**
 * Teams' ceilings per conversation and per app and tenant, over one process's sends. The port
 * for limits shared by several instances is `SendLimits` (DeliveryWorkerOptions.limits).
 */
export function sendLimits(options: { clock: Clock; conversationLimits?: readonly SendLimit[]; appLimits?: readonly SendLimit[] }): SendLimits {
  const { clock } = options;
  const conversationLimits = options.conversationLimits ?? TEAMS_CONVERSATION_LIMITS;
  const appLimits = options.appLimits ?? TEAMS_APP_LIMITS;
  const conversation = new SendWindowLimiter(conversationLimits);
  const app = new SendWindowLimiter(appLimits);

  return {
    conversationDelay: (conversationId) => conversation.delay(conversationId, clock.now()),
    async waitForApp(tenantId, signal) {
      for (;;) {
        const wait = app.delay(tenantId, clock.now());
        if (wait <= 0) return;
        await clock.sleep(wait, signal);
      }
    },
    begin(target) {
      conversation.begin(target.conversationId);
      app.begin(target.tenantId);
      let finished = false;
      return () => {
        if (finished) return;
        finished = true;
        const at = clock.now();
        conversation.finish(target.conversationId, at);
        app.finish(target.tenantId, at);
      };
    },
    async adopt(conversationId, outbox) {
      const longest = Math.max(...conversationLimits.map((l) => l.windowMs));
      conversation.replace(conversationId, await outbox.recentSendsTo(conversationId, clock.now() - longest));
    },
    async seed(outbox) {
      const since = clock.now() - Math.max(...[...conversationLimits, ...appLimits].map((l) => l.windowMs));
      for (const { target, at } of await outbox.recentSends(since)) {
        conversation.begin(target.conversationId);
        conversation.finish(target.conversationId, at);
        app.begin(target.tenantId);
        app.finish(target.tenantId, at);
      }
    },
  };
}
