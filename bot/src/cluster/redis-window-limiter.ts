import { randomUUID } from 'node:crypto';
import type { Redis } from './open-redis';

/** One sliding window: at most `max` events in any `windowMs`. */
export interface WindowLimit {
  windowMs: number;
  max: number;
  /**
   * Count this window in this many fixed sub-windows instead of one entry per event. By default a
   * window allowing more than 100 events is counted in 60 (Teams' 1,800 per hour: one count per
   * minute), any other one exactly.
   */
  subWindows?: number;
}

export type Acquired = { ok: true; id: string; at: number } | { ok: false; waitMs: number };

export interface RedisWindowLimiter {
  /**
   * Counts one event under `key` if every window allows it, atomically for all instances sharing
   * the Redis: either it is counted (as in flight until `finish`) or nothing changes and the answer
   * says how long to wait.
   */
  acquire(key: string): Promise<Acquired>;
  /** The counted event ended (e.g. Teams answered the send): it now counts at Redis' clock of this call, which this resolves to. */
  finish(key: string, id: string): Promise<number>;
}

/** Past this many events a window is counted per sub-window: its exact record would grow with its maximum. */
const EXACT_MAX = 100;
const DEFAULT_SUB_WINDOWS = 60;

/**
 * Short windows (Teams' 7 per second, 8 per 2 s, 60 per 30 s) are exact: a sorted set per key,
 * one member per event scored by when it happened and trimmed to the longest of them, so it holds
 * at most that window's maximum plus the events in flight (about 60 members).
 *
 * A long window with a high maximum (1,800 per hour) would keep 1,800 members per conversation for
 * an hour; it is counted instead in a hash of fixed sub-windows (start -> events), at most about 60
 * fields. A sub-window counts as long as any part of it lies inside the window, so the count is
 * never below the true sliding count: it is over by at most one sub-window's events (about 30 of
 * 1,800 at the hourly ceiling's pace), which only delays a send near that ceiling, never lets one
 * through beyond it.
 *
 * An event in flight is scored `now + inFlightMs`, past every window's start, so it counts in all
 * of them until it finishes, as the in-process limiter counts a send "now" while in flight; one
 * whose instance died counts until that time passes. `finish` moves it to its completion time, in
 * the sorted set and between sub-windows. Time is Redis' own (TIME), so instances' clocks need not
 * agree. Every key of one `key` carries the same hash tag, so one script may touch them all on a
 * clustered Redis (Azure Managed Redis' OSS cluster policy refuses multi-key commands across slots).
 *
 * KEYS: the sorted set, then one hash per sub-windowed limit.
 * ARGV: id, inFlightMs, recheckMs, number of exact limits, (windowMs, max) per exact limit,
 * (windowMs, max, subWindowMs) per sub-windowed limit.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local inFlight = tonumber(ARGV[2])
local recheck = tonumber(ARGV[3])
local exact = tonumber(ARGV[4])
local longest = 0
for i = 0, exact - 1 do longest = math.max(longest, tonumber(ARGV[5 + 2 * i])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local wait = 0
for i = 0, exact - 1 do
  local window = tonumber(ARGV[5 + 2 * i])
  local max = tonumber(ARGV[6 + 2 * i])
  local count = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
  if count >= max then
    local blocking = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES', 'LIMIT', count - max, 1)
    local at = tonumber(blocking[2])
    local w = recheck
    if at <= now then w = at + window - now end
    if w > wait then wait = w end
  end
end
local a = 5 + 2 * exact
for k = 2, #KEYS do
  local window = tonumber(ARGV[a + 3 * (k - 2)])
  local max = tonumber(ARGV[a + 3 * (k - 2) + 1])
  local sub = tonumber(ARGV[a + 3 * (k - 2) + 2])
  local fields = redis.call('HGETALL', KEYS[k])
  local starts = {}
  local counts = {}
  local total = 0
  for j = 1, #fields, 2 do
    local s = tonumber(fields[j])
    if s + sub <= now - window then
      redis.call('HDEL', KEYS[k], fields[j])
    else
      local n = tonumber(fields[j + 1])
      starts[#starts + 1] = s
      counts[s] = n
      total = total + n
    end
  end
  if total >= max then
    table.sort(starts)
    local over = total - max + 1
    local dropped = 0
    for _, s in ipairs(starts) do
      dropped = dropped + counts[s]
      if dropped >= over then
        local w = recheck
        if s <= now then w = s + sub + window - now end
        if w > wait then wait = w end
        break
      end
    end
  end
end
if wait > 0 then return {0, wait} end
local flying = now + inFlight
redis.call('ZADD', KEYS[1], flying, ARGV[1])
redis.call('PEXPIRE', KEYS[1], longest + inFlight)
for k = 2, #KEYS do
  local window = tonumber(ARGV[a + 3 * (k - 2)])
  local sub = tonumber(ARGV[a + 3 * (k - 2) + 2])
  redis.call('HINCRBY', KEYS[k], flying - flying % sub, 1)
  redis.call('PEXPIRE', KEYS[k], window + sub + inFlight)
end
return {1, now}
`;

/**
 * Moves a finished event to now, in the sorted set and between sub-windows; one already pruned
 * (its instance thought dead, counted at its in-flight time) stays as it is.
 * ARGV: id, then subWindowMs per hash in KEYS[2..].
 */
const FINISH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local was = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not was then return now end
was = tonumber(was)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
for k = 2, #KEYS do
  local sub = tonumber(ARGV[k])
  local from = was - was % sub
  local to = now - now % sub
  if from ~= to then
    if redis.call('HINCRBY', KEYS[k], from, -1) <= 0 then redis.call('HDEL', KEYS[k], from) end
    redis.call('HINCRBY', KEYS[k], to, 1)
  end
end
return now
`;

type Scripted = Redis & {
  jiraTeamsWindowsAcquire(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<[number, number]>;
  jiraTeamsWindowsFinish(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
};

/**
 * Sliding-window limits shared by every instance on one Redis (Lua scripts run atomically, so
 * two instances can never both take the last slot of a window).
 */
export function redisWindowLimiter(redis: Redis, options: { prefix: string; limits: readonly WindowLimit[]; inFlightMs?: number; recheckMs?: number }): RedisWindowLimiter {
  const inFlightMs = options.inFlightMs ?? 60_000;
  const recheckMs = options.recheckMs ?? 25;
  const subWindowsOf = (l: WindowLimit) => l.subWindows ?? (l.max > EXACT_MAX ? DEFAULT_SUB_WINDOWS : 0);
  const exact = options.limits.filter((l) => subWindowsOf(l) === 0);
  const coarse = options.limits.filter((l) => subWindowsOf(l) > 0).map((l) => ({ ...l, subMs: Math.ceil(l.windowMs / subWindowsOf(l)) }));
  const acquireArgs = [inFlightMs, recheckMs, exact.length, ...exact.flatMap((l) => [l.windowMs, l.max]), ...coarse.flatMap((l) => [l.windowMs, l.max, l.subMs])];
  const finishArgs = coarse.map((l) => l.subMs);
  // One hash tag per key: every Redis key of a conversation lives in the same slot.
  const keysOf = (key: string) => {
    const base = `${options.prefix}:{${key}}`;
    return [base, ...coarse.map((l) => `${base}:${l.windowMs}`)];
  };
  // EVALSHA after the first call; ioredis loads the script again when Redis lost it (NOSCRIPT).
  const scripted = redis as Scripted;
  if (typeof scripted.jiraTeamsWindowsAcquire !== 'function') {
    redis.defineCommand('jiraTeamsWindowsAcquire', { lua: ACQUIRE });
    redis.defineCommand('jiraTeamsWindowsFinish', { lua: FINISH });
  }
  return {
    async acquire(key) {
      const id = randomUUID();
      const keys = keysOf(key);
      const [ok, value] = await scripted.jiraTeamsWindowsAcquire(keys.length, ...keys, id, ...acquireArgs);
      return ok === 1 ? { ok: true, id, at: value } : { ok: false, waitMs: value };
    },
    async finish(key, id) {
      const keys = keysOf(key);
      return scripted.jiraTeamsWindowsFinish(keys.length, ...keys, id, ...finishArgs);
    },
  };
}
