/**
 * The response headers the bot reads, checked against Atlassian's rate-limiting page
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/), since Jira's OpenAPI spec
 * documents none of them: when and why to retry after a 429, the X-RateLimit-* counters, and JSON bodies labelled as JSON.
 */
const REASONS = new Set(['jira-quota-global-based', 'jira-quota-tenant-based', 'jira-burst-based', 'jira-per-issue-on-write']);

export interface HeadersToCheck {
  status: number;
  header(name: string): number | string | string[] | undefined;
  hasBody: boolean;
}

export function checkHeaders({ status, header, hasBody }: HeadersToCheck): string[] {
  const errors: string[] = [];
  const text = (name: string) => {
    const value = header(name);
    return value === undefined ? undefined : String(value);
  };
  if (hasBody && !/^application\/json\b/.test(text('content-type') ?? '')) errors.push(`header Content-Type is ${text('content-type')}, not application/json`);
  // Atlassian says a 429 "may" carry these, so only their form is checked, not their presence.
  const retryAfter = text('retry-after');
  if (retryAfter !== undefined && !/^\d+$/.test(retryAfter)) errors.push(`header Retry-After must be whole seconds, got ${retryAfter}`);
  const reason = text('ratelimit-reason');
  if (status === 429 && reason !== undefined && !REASONS.has(reason)) errors.push(`header RateLimit-Reason must name one of ${[...REASONS].join(', ')}, got ${reason}`);
  const reset = text('x-ratelimit-reset');
  if (reset !== undefined && Number.isNaN(Date.parse(reset))) errors.push(`header X-RateLimit-Reset must be an ISO 8601 timestamp, got ${reset}`);
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining']) {
    const value = text(name);
    if (value !== undefined && !/^\d+$/.test(value)) errors.push(`header ${name} must be a whole number, got ${value}`);
  }
  return errors;
}
