import type { SendLimits } from '../alerts/send-limits';
import { TEAMS_APP_LIMITS, TEAMS_CONVERSATION_LIMITS } from '../alerts/send-window-limiter';
import type { Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { Redis } from './open-redis';
import { redisWindowLimiter, type WindowLimit } from './redis-window-limiter';

/**
 * Teams' send limits for several instances, in Redis: a conversation's four windows (7 per
 * second, 8 per 2 s, 60 per 30 s, 1,800 per hour) and the per-app ceiling per tenant. Every
 * instance checks and takes a slot in one script run, so instances that take turns on a
 * conversation (a takeover from a dead owner whose send was still on the wire, say) count each
 * other's sends, in flight ones included, and stay within Teams' windows together.
 *
 * The conversation's slot is taken by `conversationDelay` (which answers 0 then) and handed to the
 * `begin` that follows for that conversation; the worker drains one conversation at a time per
 * process, so one slot per conversation is ever waiting for its `begin`.
 *
 * `local` counts this instance's own sends too: if Redis fails, sends go on under it (logged
 * once), and Teams' 429 answers are retried with backoff as always. While Redis answers, the
 * store's record of sends is not read at all: `seed` (every sent record, at start) and `adopt`
 * (a conversation's, at each takeover) cost the remote store a listing each and add nothing
 * Redis does not hold; a takeover while Redis is failing still reads it for `local`.
 */
export function redisSendLimits(deps: {
  redis: Redis;
  local: SendLimits;
  clock: Clock;
  logger: Logger;
  appLimits?: readonly WindowLimit[];
  conversationLimits?: readonly WindowLimit[];
}): SendLimits {
  const app = redisWindowLimiter(deps.redis, { prefix: 'jira-teams:teams-app', limits: deps.appLimits ?? TEAMS_APP_LIMITS });
  const conversation = redisWindowLimiter(deps.redis, { prefix: 'jira-teams:teams-conversation', limits: deps.conversationLimits ?? TEAMS_CONVERSATION_LIMITS });
  // Slots taken in waitForApp, handed to the begin() that follows it for the same tenant.
  const reserved = new Map<string, string[]>();
  // The slot conversationDelay took for a conversation, for its next begin().
  const taken = new Map<string, string>();
  let failing = false;
  const fellBack = (error: unknown) => {
    if (!failing) deps.logger.warn({ code: (error as NodeJS.ErrnoException).code ?? (error as Error).name }, 'shared Teams send window unavailable; using this instance’s own');
    failing = true;
  };

  return {
    async seed() {},
    async adopt(conversationId, outbox) {
      if (failing) await deps.local.adopt(conversationId, outbox);
    },
    conversationDelay(conversationId) {
      // Taken and not used yet (the send was stopped before it began): it still holds the slot.
      if (taken.has(conversationId)) return 0;
      return conversation.acquire(conversationId).then(
        (slot) => {
          failing = false;
          if (!slot.ok) return slot.waitMs;
          taken.set(conversationId, slot.id);
          return 0;
        },
        (error: unknown) => {
          fellBack(error);
          return deps.local.conversationDelay(conversationId);
        },
      );
    },
    async waitForApp(tenantId, signal) {
      for (;;) {
        let slot;
        try {
          slot = await app.acquire(tenantId);
        } catch (error) {
          fellBack(error);
          return deps.local.waitForApp(tenantId, signal);
        }
        failing = false;
        if (slot.ok) {
          reserved.set(tenantId, [...(reserved.get(tenantId) ?? []), slot.id]);
          return;
        }
        await deps.clock.sleep(slot.waitMs, signal);
      }
    },
    begin(target) {
      const answered = deps.local.begin(target);
      const queue = reserved.get(target.tenantId);
      const appId = queue?.shift();
      if (queue?.length === 0) reserved.delete(target.tenantId);
      const conversationSlot = taken.get(target.conversationId);
      taken.delete(target.conversationId);
      let finished = false;
      return () => {
        answered();
        if (finished) return;
        finished = true;
        if (appId) app.finish(target.tenantId, appId).catch(fellBack);
        if (conversationSlot) conversation.finish(target.conversationId, conversationSlot).catch(fellBack);
      };
    },
  };
}
