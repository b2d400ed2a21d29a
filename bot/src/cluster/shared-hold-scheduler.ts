import { randomUUID } from 'node:crypto';
import { SiteScheduler, type SiteSchedulerOptions } from '../jira/site-scheduler';
import type { Logger } from '../log/create-logger';
import type { Redis } from './open-redis';

const CHANNEL = 'jira-teams:jira-holds';

/**
 * A Jira scheduler whose Retry-After holds reach every instance: when Jira refuses one instance
 * with 429 for a limit (the site's points quota, an endpoint's burst limit, an issue's writes), the
 * others hold the same scope for the same time instead of each spending a refused call to learn
 * it. A hold arrives a moment later than Jira's answer (one Redis round trip); a success after it
 * lifts it on each instance as before.
 */
class SharedHoldScheduler extends SiteScheduler {
  constructor(
    options: SiteSchedulerOptions,
    private readonly share: (site: string, scope: string, ms: number) => void,
  ) {
    super(options);
  }

  override hold(site: string, scope: string, ms: number): void {
    super.hold(site, scope, ms);
    this.share(site, scope, ms);
  }

  /** A hold another instance was told to keep. */
  holdFromPeer(site: string, scope: string, ms: number): void {
    super.hold(site, scope, ms);
  }
}

export async function sharedHoldScheduler(deps: {
  publisher: Redis;
  subscriber: Redis;
  logger: Logger;
  options?: SiteSchedulerOptions;
}): Promise<{ scheduler: SiteScheduler; close(): Promise<void> }> {
  const self = randomUUID();
  const scheduler = new SharedHoldScheduler(deps.options ?? {}, (site, scope, ms) => {
    deps.publisher.publish(CHANNEL, JSON.stringify({ from: self, site, scope, ms })).catch((error: NodeJS.ErrnoException) => {
      // Other instances learn of this limit from Jira itself, one refused call each.
      deps.logger.warn({ code: error.code ?? error.name }, 'could not share a Jira rate-limit hold');
    });
  });
  const onMessage = (channel: string, text: string) => {
    if (channel !== CHANNEL) return;
    try {
      const m = JSON.parse(text) as { from?: unknown; site?: unknown; scope?: unknown; ms?: unknown };
      if (m.from === self || typeof m.site !== 'string' || typeof m.scope !== 'string' || typeof m.ms !== 'number' || !(m.ms > 0)) return;
      // Jira's own Retry-After is minutes at most; a longer one would be a bad message, not a limit.
      scheduler.holdFromPeer(m.site, m.scope, Math.min(m.ms, 3_600_000));
    } catch {
      deps.logger.warn({ channel }, 'ignored a malformed Jira hold message');
    }
  };
  deps.subscriber.on('message', onMessage);
  await deps.subscriber.subscribe(CHANNEL);
  return {
    scheduler,
    async close() {
      deps.subscriber.off('message', onMessage);
      await deps.subscriber.unsubscribe(CHANNEL).catch(() => undefined);
    },
  };
}
