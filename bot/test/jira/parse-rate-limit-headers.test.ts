import assert from 'node:assert/strict';
import { parseRateLimitHeaders } from '../../src/jira/parse-rate-limit-headers';

describe('parseRateLimitHeaders', () => {
  const now = Date.parse('2026-03-26T16:25:28Z');

  it('reads remaining points, reset and quota from the RateLimit and RateLimit-Policy headers', () => {
    const info = parseRateLimitHeaders({ RateLimit: '"tenant-app-quota";r=17842;t=2107', 'RateLimit-Policy': '"tenant-app-quota";q=100100;w=3600' }, now);
    assert.deepEqual(info, { remaining: 17842, resetMs: 2_107_000, quota: 100100 });
  });

  it('reads the Beta- prefixed headers sent before enforcement, and the near-limit flag', () => {
    const info = parseRateLimitHeaders(
      {
        'beta-ratelimit': '"tenant-app-quota";r=0;t=2788',
        'beta-ratelimit-policy': '"tenant-app-quota";q=100100;w=3600',
        'x-beta-ratelimit-nearlimit': 'true',
      },
      now,
    );
    assert.deepEqual(info, { remaining: 0, resetMs: 2_788_000, quota: 100100, nearLimit: true });
  });

  it('takes the tightest of several policies', () => {
    const info = parseRateLimitHeaders({ ratelimit: '"a";r=500;t=60, "b";r=3;t=10' }, now);
    assert.equal(info.remaining, 3);
    assert.equal(info.resetMs, 10_000);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRateLimitHeaders({ 'retry-after': '7' }, now).retryAfterMs, 7000);
    assert.equal(parseRateLimitHeaders({ 'Retry-After': new Date(now + 12_000).toUTCString() }, now).retryAfterMs, 12_000);
  });

  it('ignores malformed values', () => {
    assert.deepEqual(parseRateLimitHeaders({ 'retry-after': 'soon', ratelimit: 'garbage' }, now), {});
  });

  it('names the limit that refused a 429 from RateLimit-Reason, and nothing for an unknown reason', () => {
    assert.equal(parseRateLimitHeaders({ 'RateLimit-Reason': 'jira-quota-tenant-based' }, now).reason, 'quota');
    assert.equal(parseRateLimitHeaders({ 'ratelimit-reason': 'jira-burst-based' }, now).reason, 'burst');
    assert.equal(parseRateLimitHeaders({ 'RateLimit-Reason': 'jira-per-issue-on-write' }, now).reason, 'issue-write');
    assert.equal(parseRateLimitHeaders({ 'RateLimit-Reason': 'something-new' }, now).reason, undefined);
  });
});
