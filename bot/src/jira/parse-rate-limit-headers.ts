/**
 * Reads Jira Cloud's rate-limit headers (Atlassian "Rate limiting" reference):
 *   RateLimit-Policy: "tenant-app-quota";q=100100;w=3600   (quota q points per window w seconds)
 *   RateLimit:        "tenant-app-quota";r=17842;t=2107    (r points remaining, t seconds to reset)
 *   Retry-After:      5                                    (seconds, or an HTTP date)
 * The `Beta-` prefixed forms are sent before enforcement starts and are read the same way;
 * X-RateLimit-NearLimit: true flags less than 20% of the budget left.
 * On a 429, RateLimit-Reason names which of Jira's three independent limits refused the call
 * (Atlassian "Build an app that respects rate limits"): the app's points quota, the per-second
 * burst limit of one endpoint and method, or the write limit of one issue.
 */
export type RateLimitReason = 'quota' | 'burst' | 'issue-write';

export interface RateLimitInfo {
  retryAfterMs?: number;
  /** Points left in the current window (the lowest over all policies sent). */
  remaining?: number;
  /** Milliseconds until that window resets. */
  resetMs?: number;
  /** Points per window, from RateLimit-Policy. */
  quota?: number;
  nearLimit?: boolean;
  /** Which limit refused the call; absent when Jira did not say (or said something unknown). */
  reason?: RateLimitReason;
}

export type HeaderBag = Record<string, unknown>;

export function parseRateLimitHeaders(headers: HeaderBag, now: number): RateLimitInfo {
  const get = lookup(headers);
  const info: RateLimitInfo = {};

  const retryAfter = parseRetryAfter(get('retry-after'), now);
  if (retryAfter !== undefined) info.retryAfterMs = retryAfter;

  const state = tightest(parseItems(get('ratelimit') ?? get('beta-ratelimit')), 'r');
  if (state?.r !== undefined) info.remaining = state.r;
  if (state?.t !== undefined) info.resetMs = state.t * 1000;

  const policy = tightest(parseItems(get('ratelimit-policy') ?? get('beta-ratelimit-policy')), 'q');
  if (policy?.q !== undefined) info.quota = policy.q;

  const near = get('x-ratelimit-nearlimit') ?? get('x-beta-ratelimit-nearlimit');
  if (near !== undefined) info.nearLimit = near.trim().toLowerCase() === 'true';
  const reason = parseReason(get('ratelimit-reason') ?? get('x-ratelimit-reason'));
  if (reason) info.reason = reason;
  return info;
}

function parseReason(value: string | undefined): RateLimitReason | undefined {
  const reason = value?.trim().toLowerCase();
  if (!reason) return undefined;
  // jira-quota-tenant-based (and the older jira-quota-based): the points quota of the app.
  if (reason.startsWith('jira-quota')) return 'quota';
  if (reason === 'jira-burst-based') return 'burst';
  if (reason === 'jira-per-issue-on-write') return 'issue-write';
  return undefined;
}

function lookup(headers: HeaderBag): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    lower.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
  }
  return (name) => lower.get(name);
}

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses a structured-field list of `"name";k=v;k=v` items into their numeric parameters. */
function parseItems(value: string | undefined): Array<Record<string, number>> {
  if (!value) return [];
  return value.split(',').map((item) => {
    const params: Record<string, number> = {};
    for (const part of item.split(';').slice(1)) {
      const [key, raw] = part.split('=').map((s) => s.trim());
      const n = Number(raw);
      if (key && raw !== undefined && raw !== '' && Number.isFinite(n)) params[key] = n;
    }
    return params;
  });
}

function tightest(items: Array<Record<string, number>>, by: string): Record<string, number> | undefined {
  const withKey = items.filter((item) => item[by] !== undefined);
  return withKey.sort((a, b) => a[by] - b[by])[0];
}
