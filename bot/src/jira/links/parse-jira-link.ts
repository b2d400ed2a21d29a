/** What a pasted Jira URL points at, with the host it came from (lower-cased). */
export type JiraLink =
  | { kind: 'issue'; host: string; key: string }
  | { kind: 'filter'; host: string; filterId: string }
  | { kind: 'jql'; host: string; jql: string }
  | { kind: 'board'; host: string; boardId: string };

export interface ParseJiraLinkOptions {
  /** Hosts besides `*.atlassian.net` that serve Jira (custom domains, the simulator). */
  siteHosts: readonly string[];
}

// Jira project keys start with a letter and hold letters, digits and underscores.
const ISSUE_KEY = /^([A-Za-z][A-Za-z0-9_]*-[1-9][0-9]*)$/;
const NUMERIC_ID = /^[0-9]+$/;
const MAX_URL_LENGTH = 8192;

/**
 * Recognises the Jira Cloud URLs people paste into Teams: issue views in every product
 * (software, service management, work management), board and backlog panels with a selected
 * issue, saved filters and JQL searches. Anything else, or a URL on a host that is not Jira,
 * is undefined.
 */
export function parseJiraLink(url: string, options: ParseJiraLinkOptions): JiraLink | undefined {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const host = parsed.host.toLowerCase();
  if (!isJiraHost(parsed.hostname.toLowerCase(), host, options.siteHosts)) return undefined;
  // The link becomes the card's "Open in Jira": Jira Cloud is https; plain http only for a configured host (the simulator).
  if (parsed.protocol === 'http:' && !isJiraHost('', host, options.siteHosts)) return undefined;

  const segments = pathSegments(parsed.pathname);
  if (!segments) return undefined;
  const query = parsed.searchParams;
  const lower = segments.map((s) => s.toLowerCase());

  const selected = issueKey(query.get('selectedIssue'));

  // /browse/KEY
  if (lower[0] === 'browse' && segments.length === 2) {
    const key = issueKey(segments[1]);
    return key ? { kind: 'issue', host, key } : undefined;
  }

  if (lower[0] === 'jira') {
    // /jira/filters/123
    if (lower[1] === 'filters' && segments.length === 3 && NUMERIC_ID.test(segments[2])) {
      return { kind: 'filter', host, filterId: segments[2] };
    }
    const projectAt = lower.indexOf('projects');
    const rest = projectAt >= 0 ? lower.slice(projectAt + 2) : [];
    const restRaw = projectAt >= 0 ? segments.slice(projectAt + 2) : [];
    // /jira/{software|core|servicedesk}/projects/P/issues/KEY (also /jira/software/c/projects/...)
    if (rest[0] === 'issues' && restRaw.length === 2) {
      const key = issueKey(restRaw[1]);
      if (key) return { kind: 'issue', host, key };
    }
    // /jira/servicedesk/projects/P/queues/custom/1/KEY, and /queue/... on older links
    if ((rest[0] === 'queues' || rest[0] === 'queue') && restRaw.length >= 2) {
      const key = issueKey(restRaw[restRaw.length - 1]);
      if (key) return { kind: 'issue', host, key };
    }
    if (selected) return { kind: 'issue', host, key: selected };
    // /jira/software/c/projects/P/boards/1 (and .../backlog)
    if (rest[0] === 'boards' && restRaw[1] && NUMERIC_ID.test(restRaw[1])) {
      return { kind: 'board', host, boardId: restRaw[1] };
    }
    // Issue search in the new navigation: /jira/software/c/projects/P/issues?jql=...
    if (rest[0] === 'issues' && restRaw.length === 1) return searchLink(host, query);
    return undefined;
  }

  // /issues/?jql=... and /issues/?filter=123; an issue opened beside the results is what was shared
  if (lower[0] === 'issues' && segments.length === 1) {
    return selected ? { kind: 'issue', host, key: selected } : searchLink(host, query);
  }

  // Classic board URLs: /secure/RapidBoard.jspa?rapidView=1&selectedIssue=KEY
  if (lower[0] === 'secure' && lower[1] === 'rapidboard.jspa') {
    if (selected) return { kind: 'issue', host, key: selected };
    const board = query.get('rapidView');
    return board && NUMERIC_ID.test(board) ? { kind: 'board', host, boardId: board } : undefined;
  }
  return undefined;
}

function isJiraHost(hostname: string, host: string, siteHosts: readonly string[]): boolean {
  if (hostname.endsWith('.atlassian.net') && hostname.length > '.atlassian.net'.length) return true;
  return siteHosts.some((configured) => {
    const wanted = configured.trim().toLowerCase();
    // A configured host may carry a port (the simulator) or not (a custom domain).
    return wanted === host || wanted === hostname;
  });
}

function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function issueKey(value: string | null | undefined): string | undefined {
  const match = value ? ISSUE_KEY.exec(value.trim()) : null;
  return match ? match[1].toUpperCase() : undefined;
}

function searchLink(host: string, query: URLSearchParams): JiraLink | undefined {
  // A saved filter wins over the JQL in the same URL: the filter is what the link names, and
  // Jira puts an empty or stale jql beside it.
  const filter = query.get('filter');
  if (filter && NUMERIC_ID.test(filter)) return { kind: 'filter', host, filterId: filter };
  const jql = query.get('jql')?.trim();
  return jql ? { kind: 'jql', host, jql } : undefined;
}
