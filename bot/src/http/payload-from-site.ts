import { siteKey } from '../jira/site-url';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The prefixes a base's links may start with. A loopback base (the local simulator, listed in
 * JIRA_ALLOWED_SITES) counts under each loopback name at the same scheme and port: `npm start`
 * names the simulator `localhost` while it renders its links with `127.0.0.1`. Same machine,
 * same port, same server.
 */
function prefixesOf(base: string): string[] {
  const key = siteKey(base);
  let url: URL;
  try {
    url = new URL(key);
  } catch {
    return [`${key}/`];
  }
  if (!LOOPBACK_NAMES.includes(url.hostname)) return [`${key}/`];
  const rest = key.slice(url.origin.length);
  return LOOPBACK_NAMES.map((name) => `${url.protocol}//${name}${url.port ? `:${url.port}` : ''}${rest}/`);
}

/** Prefixes per base: every webhook asks for its site's, and parsing the URL each time showed in the intake's profile. */
const prefixCache = new Map<string, string[]>();
const MAX_CACHED_BASES = 1_000;
function cachedPrefixesOf(base: string): string[] {
  let prefixes = prefixCache.get(base);
  if (!prefixes) {
    if (prefixCache.size >= MAX_CACHED_BASES) prefixCache.clear();
    prefixCache.set(base, (prefixes = prefixesOf(base)));
  }
  return prefixes;
}

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
  const prefixes = bases.flatMap(cachedPrefixesOf);
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
