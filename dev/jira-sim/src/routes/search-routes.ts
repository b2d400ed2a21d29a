import { createHash } from 'node:crypto';
import { JiraError } from '../http/jira-error';
import { queryInt, queryList, queryString, type JiraCall } from '../http/jira-route';
import { renderIssue } from '../render/render-issue';
import { parseSiteJql, searchIssues } from '../search/search-issues';
import type { RouteDeps } from './route-deps';

const MAX_RESULTS_CAP = 5000;
const DEFAULT_MAX_RESULTS = 50;
/** Jira caps a page by size too: with every field (or comments) a page holds at most 100 issues. */
const HEAVY_PAGE_CAP = 100;

interface SearchRequest {
  jql: string;
  nextPageToken?: string;
  maxResults: number;
  fields?: string[];
  expand: Set<string>;
  /** Issue ids to read consistently (Jira takes at most 50). */
  reconcileIssues: Set<string>;
}

function pageToken(jql: string, offset: number): string {
  const hash = createHash('sha1').update(jql).digest('hex').slice(0, 12);
  return Buffer.from(JSON.stringify({ o: offset, q: hash })).toString('base64url');
}

function offsetOf(token: string | undefined, jql: string): number {
  if (!token) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    const hash = createHash('sha1').update(jql).digest('hex').slice(0, 12);
    if (typeof decoded.o === 'number' && decoded.o >= 0 && decoded.q === hash) return decoded.o;
  } catch {
    // fall through to Jira's answer for a token it does not know
  }
  throw JiraError.badRequest({}, ['The provided next page token is invalid or expired.']);
}

function readGet({ query }: JiraCall): SearchRequest {
  return {
    jql: queryString(query.jql) ?? '',
    nextPageToken: queryString(query.nextPageToken),
    maxResults: queryInt(query.maxResults, DEFAULT_MAX_RESULTS, 'maxResults'),
    fields: queryList(query.fields),
    expand: new Set(queryList(query.expand) ?? []),
    reconcileIssues: reconcileSet(queryList(query.reconcileIssues) ?? []),
  };
}

function readPost({ body }: JiraCall): SearchRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  const expand = typeof b.expand === 'string' ? b.expand.split(',') : Array.isArray(b.expand) ? (b.expand as string[]) : [];
  if (b.maxResults !== undefined && !Number.isInteger(b.maxResults)) {
    throw JiraError.badRequest({}, ["The 'maxResults' value must be an integer."]);
  }
  return {
    jql: typeof b.jql === 'string' ? b.jql : '',
    nextPageToken: typeof b.nextPageToken === 'string' ? b.nextPageToken : undefined,
    maxResults: (b.maxResults as number | undefined) ?? DEFAULT_MAX_RESULTS,
    fields: Array.isArray(b.fields) ? (b.fields as string[]) : undefined,
    expand: new Set(expand.map((e) => e.trim()).filter(Boolean)),
    reconcileIssues: reconcileSet(Array.isArray(b.reconcileIssues) ? (b.reconcileIssues as unknown[]) : []),
  };
}

function reconcileSet(ids: unknown[]): Set<string> {
  if (ids.length > 50) throw JiraError.badRequest({}, ['The number of reconcileIssues must not exceed 50.']);
  return new Set(ids.map((id) => String(id)));
}

export function mountSearchRoutes({ router, state, searchIndex }: RouteDeps): void {
  const search = (call: JiraCall, request: SearchRequest) => {
    const query = parseSiteJql(state, request.jql);
    if (!query.where) {
      throw JiraError.badRequest({}, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    }
    const all = searchIssues(state, call.auth.accountId, request.jql, searchIndex ? (issue) => searchIndex.viewOf(issue, request.reconcileIssues) : undefined);
    const heavy = (request.fields ?? []).some((f) => f === '*all' || f === 'comment') || request.expand.has('changelog');
    const cap = heavy ? HEAVY_PAGE_CAP : MAX_RESULTS_CAP;
    const pageSize = Math.max(1, Math.min(request.maxResults, cap));
    const offset = offsetOf(request.nextPageToken, request.jql);
    const page = all.slice(offset, offset + pageSize);
    const isLast = offset + page.length >= all.length;
    const view = {
      fields: request.fields,
      defaultFields: 'id' as const,
      expand: request.expand,
      viewerAccountId: call.auth.accountId,
    };
    const issues = page.map((issue) => renderIssue(state, issue, view));
    const body: Record<string, unknown> = { issues, isLast };
    if (!isLast) body.nextPageToken = pageToken(request.jql, offset + page.length);
    if (request.expand.has('names')) {
      const names: Record<string, string> = {};
      for (const issue of issues) for (const id of Object.keys(issue.fields as object)) names[id] = state.field(id)?.name ?? id;
      body.names = names;
    }
    return { status: 200, body, objects: issues.length };
  };
  router.get('/rest/api/3/search/jql', 'read:jira-work', (call) => search(call, readGet(call)));
  router.post('/rest/api/3/search/jql', 'read:jira-work', (call) => search(call, readPost(call)));

  router.post('/rest/api/3/search/approximate-count', 'read:jira-work', ({ auth, body }) => {
    const jql = (body as { jql?: unknown } | undefined)?.jql;
    if (typeof jql !== 'string') throw JiraError.badRequest({}, ["The 'jql' value must be provided."]);
    const query = parseSiteJql(state, jql);
    if (!query.where) {
      throw JiraError.badRequest({}, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    }
    return { status: 200, body: { count: searchIssues(state, auth.accountId, jql).length } };
  });

  router.get('/rest/api/3/issue/picker', 'read:jira-work', ({ auth, query }) => {
    const text = (queryString(query.query) ?? '').trim().toLowerCase();
    const currentJql = queryString(query.currentJQL);
    const candidates = currentJql ? searchIssues(state, auth.accountId, currentJql) : state.site.issues.filter((i) => state.canBrowse(auth.accountId, i));
    const hits = candidates
      .filter(
        (i) =>
          !text ||
          i.key.toLowerCase().startsWith(text) ||
          String(i.values.summary ?? '')
            .toLowerCase()
            .includes(text),
      )
      .sort((a, b) => b.updated - a.updated)
      .slice(0, 20);
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const issues = hits.map((i) => ({
      id: Number(i.id),
      key: i.key,
      keyHtml: escape(i.key),
      img: state.issueType(i.issueTypeId)?.iconUrl ?? '',
      summary: escape(String(i.values.summary ?? '')),
      summaryText: String(i.values.summary ?? ''),
    }));
    return {
      status: 200,
      body: { sections: [{ label: 'Current Search', sub: `Showing ${issues.length} of ${issues.length} matching issues`, id: 'cs', issues }] },
      objects: issues.length,
    };
  });

  router.post('/rest/api/3/jql/parse', 'read:jira-work', ({ body }) => {
    const queries = (body as { queries?: unknown } | undefined)?.queries;
    if (!Array.isArray(queries)) throw JiraError.badRequest({}, ["The 'queries' list must be provided."]);
    const results = queries.map((q) => {
      const text = String(q);
      try {
        const parsed = parseSiteJql(state, text, true);
        return {
          query: text,
          structure: {
            ...(parsed.orderBy.length ? { orderBy: { fields: parsed.orderBy.map((o) => ({ field: { name: o.field }, direction: o.direction.toLowerCase() })) } } : {}),
          },
        };
      } catch (err) {
        if (err instanceof JiraError) return { query: text, errors: err.errorMessages };
        throw err;
      }
    });
    return { status: 200, body: { queries: results } };
  });
}
