import { siteKey } from '../jira/site-url';

/** Top-level parts of a Jira webhook body that carry a `self` link to the site that sent them. */
const SELF_LINKED = ['issue', 'comment', 'user', 'worklog', 'project', 'version', 'sprint', 'board', 'issueLink', 'attachment'];

/**
 * Whether a webhook body is about the route's site: every `self` link it carries at the top
 * level points under one of the site's bases (its URL, or the API gateway's
 * `https://api.atlassian.com/ex/jira/<cloudId>` for it), and an issue names its site at all.
 * A body signed for site A and posted to site B's route must not become B's event with its
 * links rewritten to B.
 */
export function payloadFromSite(payload: unknown, bases: readonly string[]): boolean {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return true;
  const prefixes = bases.map((base) => `${siteKey(base)}/`);
  const body = payload as Record<string, unknown>;
  for (const part of SELF_LINKED) {
    const value = body[part];
    if (!value || typeof value !== 'object') continue;
    const self = (value as { self?: unknown }).self;
    if (self === undefined && part === 'issue') return false;
    if (self === undefined) continue;
    if (typeof self !== 'string' || !prefixes.some((prefix) => self.trim().toLowerCase().startsWith(prefix))) return false;
  }
  return true;
}
