import type { SendLimits } from '../alerts/send-limits';
import { TEAMS_APP_LIMITS, type SendLimit } from '../alerts/send-window-limiter';
import type { Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { Redis } from './open-redis';
import { redisWindowLimiter } from './redis-window-limiter';

/**
 * Teams' send limits for several instances: the per-app ceiling (per tenant) is one window in
 * Redis that every instance reserves from atomically. A conversation's own windows stay with the
 * instance that owns the conversation (the delivery worker's per-conversation lease, with
 * `adopt` reading what the previous owner sent), which is the only one sending to it.
 *
 * If Redis fails, sends go on under this instance's own window for the tenant (logged once):
 * delivery keeps going, and Teams' 429 answers are retried with backoff as always.
 */
export function redisSendLimits(deps: { redis: Redis; local: SendLimits; clock: Clock; logger: Logger; appLimits?: readonly SendLimit[] }): SendLimits {
  const app = redisWindowLimiter(deps.redis, { prefix: 'jira-teams:teams-app', limits: deps.appLimits ?? TEAMS_APP_LIMITS });
  // Slots taken in waitForApp, handed to the begin() that follows it for the same tenant.
  const reserved = new Map<string, string[]>();
  let failing = false;
  const fellBack = (error: unknown) => {
    if (!failing) deps.logger.warn({ code: (error as NodeJS.ErrnoException).code ?? (error as Error).name }, 'shared Teams send window unavailable; using this instance’s own');
    failing = true;
  };

  return {
    // seed, adopt: this instance's own record of its conversations' windows, as without Redis.
    ...deps.local,
    conversationDelay: (conversationId) => deps.local.conversationDelay(conversationId),
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
      const id = queue?.shift();
      if (queue?.length === 0) reserved.delete(target.tenantId);
      let finished = false;
      return () => {
        answered();
        if (finished || !id) return;
        finished = true;
        app.finish(target.tenantId, id).catch(fellBack);
      };
    },
  };
}
