import { randomUUID } from 'node:crypto';
import { SiteScheduler, type SiteSchedulerOptions } from '../jira/site-scheduler';
import type { Logger } from '../log/create-logger';
import type { Redis } from './open-redis';

const CHANNEL = 'jira-teams:jira-holds';
/** Every hold still running, member JSON [site, scope], scored by its end on Redis' clock. */
const HOLDS_KEY = 'jira-teams:jira-holds:running';
/** Jira's own Retry-After is minutes at most; a longer one would be a bad message, not a limit. */
const MAX_HOLD_MS = 3_600_000;

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
`;

/**
 * ARGV: member, ms, channel, message. Keeps the later end of this hold and any stored one, then
 * tells the running instances; both in one script, so an instance that loads the stored holds
 * after subscribing misses none. The key lives as long as its longest hold.
 */
const HOLD = `${NOW}
local untilAt = now + tonumber(ARGV[2])
local current = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if not current or current < untilAt then redis.call('ZADD', KEYS[1], untilAt, ARGV[1]) end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - now))
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;

/** Returns {member, ms left, member, ms left, ...} for every hold still running. */
const LIST = `${NOW}
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #all, 2 do
  out[#out + 1] = all[i]
  out[#out + 1] = tostring(tonumber(all[i + 1]) - now)
end
return out
`;

type Scripted = Redis & {
  jiraTeamsHoldPut(key: string, member: string, ms: number, channel: string, message: string): Promise<number>;
  jiraTeamsHoldList(key: string): Promise<string[]>;
};

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
    super.hold(site, scope, Math.min(ms, MAX_HOLD_MS));
  }
}

/**
 * Holds are kept in Redis until they end, besides being published: an instance that starts (or
 * whose subscription was cut and restored) during a hold loads the ones still running, with the
 * time left on Redis' clock. A hold lifted early by a success is not taken out of Redis: an
 * instance that loads it probes once (SiteScheduler's one call per hold) and lifts it itself.
 */
export async function sharedHoldScheduler(deps: {
  publisher: Redis;
  subscriber: Redis;
  logger: Logger;
  options?: SiteSchedulerOptions;
}): Promise<{ scheduler: SiteScheduler; close(): Promise<void> }> {
  const self = randomUUID();
  const scripted = deps.publisher as Scripted;
  if (typeof scripted.jiraTeamsHoldPut !== 'function') {
    deps.publisher.defineCommand('jiraTeamsHoldPut', { numberOfKeys: 1, lua: HOLD });
    deps.publisher.defineCommand('jiraTeamsHoldList', { numberOfKeys: 1, lua: LIST });
  }
  const scheduler = new SharedHoldScheduler(deps.options ?? {}, (site, scope, ms) => {
    const message = JSON.stringify({ from: self, site, scope, ms });
    scripted.jiraTeamsHoldPut(HOLDS_KEY, JSON.stringify([site, scope]), Math.ceil(ms), CHANNEL, message).catch((error: NodeJS.ErrnoException) => {
      // Other instances learn of this limit from Jira itself, one refused call each.
      deps.logger.warn({ code: error.code ?? error.name }, 'could not share a Jira rate-limit hold');
    });
  });
  const load = async () => {
    try {
      const list = await scripted.jiraTeamsHoldList(HOLDS_KEY);
      for (let i = 0; i + 1 < list.length; i += 2) {
        const [site, scope] = JSON.parse(list[i]) as [unknown, unknown];
        const ms = Number(list[i + 1]);
        if (typeof site === 'string' && typeof scope === 'string' && ms > 0) scheduler.holdFromPeer(site, scope, ms);
      }
    } catch (error) {
      // Without them, this instance learns of running holds from Jira: one refused call per limit.
      deps.logger.warn({ code: (error as NodeJS.ErrnoException).code ?? (error as Error).name }, 'could not load the running Jira rate-limit holds');
    }
  };
  const onMessage = (channel: string, text: string) => {
    if (channel !== CHANNEL) return;
    try {
      const m = JSON.parse(text) as { from?: unknown; site?: unknown; scope?: unknown; ms?: unknown };
      if (m.from === self || typeof m.site !== 'string' || typeof m.scope !== 'string' || typeof m.ms !== 'number' || !(m.ms > 0)) return;
      scheduler.holdFromPeer(m.site, m.scope, m.ms);
    } catch {
      deps.logger.warn({ channel }, 'ignored a malformed Jira hold message');
    }
  };
  // Messages published while the subscriber was cut off are lost: read what is stored once it is back.
  // ioredis says ready before its own resubscribe is answered; subscribing again (a no-op for Redis)
  // resolves only after that, so no hold falls between the subscription and the read.
  const onReady = () => {
    deps.subscriber
      .subscribe(CHANNEL)
      .then(load)
      .catch((error: NodeJS.ErrnoException) => deps.logger.warn({ code: error.code ?? error.name }, 'could not subscribe again to Jira rate-limit holds'));
  };
  deps.subscriber.on('message', onMessage);
  deps.subscriber.on('ready', onReady);
  await deps.subscriber.subscribe(CHANNEL);
  // After subscribing: a hold stored before this point is loaded, one stored after it is heard.
  await load();
  return {
    scheduler,
    async close() {
      deps.subscriber.off('message', onMessage);
      deps.subscriber.off('ready', onReady);
      await deps.subscriber.unsubscribe(CHANNEL).catch(() => undefined);
    },
  };
}
