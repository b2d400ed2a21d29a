import { randomUUID } from 'node:crypto';
import type { Redis } from './open-redis';

/** One sliding window: at most `max` events in any `windowMs`. */
export interface WindowLimit {
  windowMs: number;
  max: number;
}

export type Acquired = { ok: true; id: string; at: number } | { ok: false; waitMs: number };

export interface RedisWindowLimiter {
  /**
   * Counts one event under `key` if every window allows it, atomically for all instances sharing
   * the Redis: either it is counted (as in flight until `finish`) or nothing changes and the answer
   * says how long to wait.
   */
  acquire(key: string): Promise<Acquired>;
  /** The counted event ended (e.g. Teams answered the send): it now counts at Redis' clock of this call. */
  finish(key: string, id: string): Promise<void>;
}

/**
 * Members of a sorted set per key, scored by when they happened. An event in flight is scored
 * `now + inFlightMs`, past every window's start, so it counts in all of them until it finishes,
 * as the in-process limiter counts a send "now" while in flight; one whose instance died counts
 * until that score passes. Time is Redis' own (TIME), so instances' clocks need not agree.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local inFlight = tonumber(ARGV[2])
local recheck = tonumber(ARGV[3])
local longest = 0
for i = 4, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[i])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local wait = 0
for i = 4, #ARGV, 2 do
  local window = tonumber(ARGV[i])
  local max = tonumber(ARGV[i + 1])
  local count = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
  if count >= max then
    local blocking = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES', 'LIMIT', count - max, 1)
    local at = tonumber(blocking[2])
    local w = recheck
    if at <= now then w = at + window - now end
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
redis.call('ZADD', KEYS[1], now + inFlight, ARGV[1])
redis.call('PEXPIRE', KEYS[1], longest + inFlight)
return {1, now}
`;

/** Moves a finished event to now; one already pruned (its instance thought dead) stays gone. */
const FINISH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return now
`;

type Scripted = Redis & {
  jiraTeamsWindowAcquire(key: string, ...args: Array<string | number>): Promise<[number, number]>;
  jiraTeamsWindowFinish(key: string, id: string): Promise<number>;
};

/**
 * Sliding-window limits shared by every instance on one Redis (Lua scripts run atomically, so
 * two instances can never both take the last slot of a window).
 */
export function redisWindowLimiter(redis: Redis, options: { prefix: string; limits: readonly WindowLimit[]; inFlightMs?: number; recheckMs?: number }): RedisWindowLimiter {
  const inFlightMs = options.inFlightMs ?? 60_000;
  const recheckMs = options.recheckMs ?? 25;
  const windows = options.limits.flatMap((l) => [l.windowMs, l.max]);
  const keyOf = (key: string) => `${options.prefix}:{${key}}`;
  // EVALSHA after the first call; ioredis loads the script again when Redis lost it (NOSCRIPT).
  const scripted = redis as Scripted;
  if (typeof scripted.jiraTeamsWindowAcquire !== 'function') {
    redis.defineCommand('jiraTeamsWindowAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('jiraTeamsWindowFinish', { numberOfKeys: 1, lua: FINISH });
  }
  return {
    async acquire(key) {
      const id = randomUUID();
      const [ok, value] = await scripted.jiraTeamsWindowAcquire(keyOf(key), id, inFlightMs, recheckMs, ...windows);
      return ok === 1 ? { ok: true, id, at: value } : { ok: false, waitMs: value };
    },
    async finish(key, id) {
      await scripted.jiraTeamsWindowFinish(keyOf(key), id);
    },
  };
}
