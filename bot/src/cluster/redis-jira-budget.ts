import type { SharedPointsBudget } from '../jira/site-scheduler';
import type { Logger } from '../log/create-logger';
import type { Redis } from './open-redis';

/**
 * One hash per Jira site (cloud id or site URL: the app's quota is per site and app):
 *   remaining, resetAt   points left in Jira's window as its headers said, less what was sent since
 *   quota, nearLimit     from RateLimit-Policy and X-RateLimit-NearLimit
 *   spentHour, spent     estimated points sent in the current clock hour, by every instance
 * Time is Redis' own (TIME), so instances' clocks need not agree. Each script runs atomically.
 */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Jira's window rolled over once resetAt passed: the budget is unknown again until the next headers. */
const ROLL_OVER = `
local h = redis.call('HMGET', KEYS[1], 'remaining', 'quota', 'resetAt', 'nearLimit', 'spentHour', 'spent')
local remaining, quota, resetAt, near = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), h[4] == '1'
if resetAt and now >= resetAt then
  redis.call('HDEL', KEYS[1], 'remaining', 'resetAt', 'nearLimit')
  remaining, resetAt, near = nil, nil, false
end
local hour = math.floor(now / 3600000)
local spent = tonumber(h[6]) or 0
if tonumber(h[5]) ~= hour then spent = 0 end
`;

/** ARGV: cost, background (1 or 0), reserve share, reserve points, recheck ms. Returns {1, 0} or {0, wait ms}. */
const TAKE = `${NOW}${ROLL_OVER}
local cost = tonumber(ARGV[1])
if ARGV[2] == '1' then
  local refused = false
  if remaining then
    local reserve = tonumber(ARGV[4])
    if quota then reserve = quota * tonumber(ARGV[3]) end
    refused = remaining - cost < reserve or (near and not quota)
  else
    refused = near
  end
  if refused then
    local wait = tonumber(ARGV[5])
    if resetAt then wait = resetAt - now end
    return {0, math.max(1, math.ceil(wait))}
  end
end
if remaining then redis.call('HSET', KEYS[1], 'remaining', remaining - cost) end
redis.call('HSET', KEYS[1], 'spentHour', hour, 'spent', spent + cost)
redis.call('PEXPIRE', KEYS[1], 7200000)
return {1, 0}
`;

/** ARGV: cost. Only a budget still in its window is given the points back. */
const REFUND = `${NOW}${ROLL_OVER}
local cost = tonumber(ARGV[1])
if remaining then redis.call('HSET', KEYS[1], 'remaining', remaining + cost) end
redis.call('HSET', KEYS[1], 'spentHour', hour, 'spent', math.max(0, spent - cost))
return 1
`;

/**
 * ARGV: remaining, reset ms, quota, nearLimit ('1', '0' or '' when not said), assumed reset ms.
 * Headers reach instances out of order, and an answer does not know of the calls other instances
 * sent while it was on its way: within one window the lowest remaining said wins.
 */
const OBSERVE = `${NOW}${ROLL_OVER}
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'quota', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'nearLimit', ARGV[4]) end
if ARGV[1] ~= '' then
  local r = tonumber(ARGV[1])
  if remaining and remaining < r then r = remaining end
  local resetMs = tonumber(ARGV[5])
  if ARGV[2] ~= '' then resetMs = tonumber(ARGV[2]) end
  redis.call('HSET', KEYS[1], 'remaining', r, 'resetAt', now + resetMs)
elseif ARGV[4] == '1' and not resetAt then
  redis.call('HSET', KEYS[1], 'resetAt', now + tonumber(ARGV[5]))
end
redis.call('PEXPIRE', KEYS[1], 7200000)
return 1
`;

/** Returns {remaining, quota, resetAt, spent} as strings, '' for unknown. */
const READ = `${NOW}${ROLL_OVER}
local function s(v) if v then return tostring(v) end return '' end
if not remaining then resetAt = nil end
return {s(remaining), s(quota), s(resetAt), s(spent)}
`;

type Scripted = Redis & {
  jiraTeamsBudgetTake(key: string, ...args: Array<string | number>): Promise<[number, number]>;
  jiraTeamsBudgetRefund(key: string, cost: number): Promise<number>;
  jiraTeamsBudgetObserve(key: string, ...args: Array<string | number>): Promise<number>;
  jiraTeamsBudgetRead(key: string): Promise<[string, string, string, string]>;
};

const PREFIX = 'jira-teams:jira-budget';

/**
 * Jira's points budget per site shared by every instance on one Redis, so N instances together
 * keep background work out of the reserve left for people waiting (the single-instance rule,
 * SiteScheduler's, applied to the cluster's spending). Redis out of reach: calls go ahead on each
 * instance's own view of the budget, as without cluster mode, and the failure is logged.
 */
export function redisJiraBudget(redis: Redis, logger: Logger, options: { recheckMs?: number } = {}): SharedPointsBudget {
  const recheckMs = options.recheckMs ?? 1_000;
  const scripted = redis as Scripted;
  if (typeof scripted.jiraTeamsBudgetTake !== 'function') {
    redis.defineCommand('jiraTeamsBudgetTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('jiraTeamsBudgetRefund', { numberOfKeys: 1, lua: REFUND });
    redis.defineCommand('jiraTeamsBudgetObserve', { numberOfKeys: 1, lua: OBSERVE });
    redis.defineCommand('jiraTeamsBudgetRead', { numberOfKeys: 1, lua: READ });
  }
  // Sites are URLs or cloud ids: braces would change the Redis Cluster hash slot, so they are escaped.
  const keyOf = (site: string) => `${PREFIX}:{${encodeURIComponent(site)}}`;
  // Every Jira call asks Redis: while it is out of reach, one warning per outage, not one per call.
  let failing = false;
  const warn = (what: string) => (error: NodeJS.ErrnoException) => {
    if (failing) return;
    failing = true;
    logger.warn({ code: error.code ?? error.name }, `could not ${what} the shared Jira budget; each instance follows its own view of it until Redis answers`);
  };
  const answered = () => {
    if (failing) logger.info('the shared Jira budget answers again');
    failing = false;
  };
  const number = (text: string) => (text === '' ? undefined : Number(text));
  return {
    async take(site, cost, reserve) {
      try {
        const [ok, waitMs] = await scripted.jiraTeamsBudgetTake(keyOf(site), cost, reserve ? 1 : 0, reserve?.share ?? 0, reserve?.points ?? 0, recheckMs);
        answered();
        return ok === 1 ? { ok: true } : { ok: false, waitMs };
      } catch (error) {
        warn('take points from')(error as NodeJS.ErrnoException);
        return { ok: true };
      }
    },
    async refund(site, cost) {
      await scripted.jiraTeamsBudgetRefund(keyOf(site), cost).catch(warn('give points back to'));
    },
    async observe(site, info, assumedResetMs) {
      const text = (n: number | undefined) => (n === undefined ? '' : String(n));
      const near = info.nearLimit === undefined ? '' : info.nearLimit ? '1' : '0';
      await scripted.jiraTeamsBudgetObserve(keyOf(site), text(info.remaining), text(info.resetMs), text(info.quota), near, assumedResetMs).catch(warn('record Jira headers in'));
    },
    async read(site) {
      const [remaining, quota, resetAt, spent] = await scripted.jiraTeamsBudgetRead(keyOf(site));
      return {
        ...(remaining !== '' ? { remaining: Number(remaining), resetAt: Number(resetAt) } : {}),
        ...(quota !== '' ? { quota: Number(quota) } : {}),
        spentThisHour: number(spent) ?? 0,
      };
    },
  };
}
