import type { JiraClient } from '../create-jira-client';
import type { JiraIssueJson } from './issues';

export interface SearchPage {
  issues: JiraIssueJson[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface SearchRequest {
  jql: string;
  fields: string[];
  maxResults: number;
  nextPageToken?: string;
  expand?: string;
  /** POST keeps long JQL (a backlog's, or a batch of keys) out of the URL. */
  method?: 'GET' | 'POST';
  /**
   * Issue ids (at most 50) Jira must show as they are now: search is eventually consistent, and
   * without this an issue changed moments ago can match (or not) on its old values.
   */
  reconcileIssues?: number[];
}

/** One page of `/rest/api/3/search/jql`. */
export async function searchIssues(jira: JiraClient, request: SearchRequest): Promise<SearchPage> {
  const params = {
    jql: request.jql,
    maxResults: request.maxResults,
    fields: request.fields,
    ...(request.expand ? { expand: request.expand } : {}),
    ...(request.nextPageToken ? { nextPageToken: request.nextPageToken } : {}),
    ...(request.reconcileIssues && request.reconcileIssues.length > 0 ? { reconcileIssues: request.reconcileIssues } : {}),
  };
  const result =
    request.method === 'POST'
      ? await jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost(params)
      : await jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch(params);
  // Jira's answer has `isLast` too (jira.js does not type it); a token on the last page leads nowhere.
  const last = (result as { isLast?: boolean }).isLast === true;
  const nextPageToken = last ? undefined : result.nextPageToken || undefined;
  return { issues: result.issues ?? [], ...(nextPageToken ? { nextPageToken } : {}) };
}

/** Every page, up to `maxPages` (a bound: what is past it is left for the caller's next round). */
export async function searchAllIssues(jira: JiraClient, request: Omit<SearchRequest, 'nextPageToken'>, maxPages = Infinity): Promise<JiraIssueJson[]> {
  const issues: JiraIssueJson[] = [];
  let nextPageToken: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await searchIssues(jira, { ...request, ...(nextPageToken ? { nextPageToken } : {}) });
    issues.push(...result.issues);
    nextPageToken = result.nextPageToken;
    if (!nextPageToken) break;
  }
  return issues;
}

/** Jira's strict parse of one JQL query: its error messages, none when it is valid. */
export async function validateJql(jira: JiraClient, jql: string): Promise<string[]> {
  return (await validateJqlQueries(jira, [jql]))[0];
}

/** Jira's strict parse of several queries in one call: each query's error messages, in order. */
export async function validateJqlQueries(jira: JiraClient, queries: string[]): Promise<string[][]> {
  const parsed = await jira.v3.jql.parseJqlQueries({ queries, validation: 'strict' });
  return queries.map((_, index) => parsed.queries?.[index]?.errors ?? []);
}

const PROJECT_LIST = /^project in \(([^)]*)\) AND (.+)$/s;

/**
 * For a query of the form `project in ("A", "B") AND rest`, which Jira refuses whole when one key
 * does not exist or the user cannot see its project: the keys Jira does not know (one strict parse
 * of a query per key) and the query without them (`jql` absent when no key is left). Undefined
 * when the query has no such list or every key is known.
 */
export async function dropUnknownProjects(jira: JiraClient, jql: string): Promise<{ jql?: string; dropped: string[] } | undefined> {
  const match = PROJECT_LIST.exec(jql.trim());
  if (!match) return undefined;
  const keys = match[1]
    .split(',')
    .map((key) => key.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
  const errors = await validateJqlQueries(
    jira,
    keys.map((key) => `project = "${key}"`),
  );
  const dropped = keys.filter((_, index) => errors[index].length > 0);
  if (dropped.length === 0) return undefined;
  const kept = keys.filter((key) => !dropped.includes(key));
  return { dropped, ...(kept.length > 0 ? { jql: `project in (${kept.map((key) => `"${key}"`).join(', ')}) AND ${match[2]}` } : {}) };
}

/** A saved filter's name and JQL. */
export async function getFilter(jira: JiraClient, filterId: string): Promise<{ name: string; jql: string }> {
  const filter = await jira.v3.filters.getFilter({ id: Number(filterId) });
  return { name: filter.name ?? `Filter ${filterId}`, jql: filter.jql ?? '' };
}
