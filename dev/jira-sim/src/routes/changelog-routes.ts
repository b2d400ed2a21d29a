import { JiraError } from '../http/jira-error';
import { queryInt } from '../http/jira-route';
import { visibleIssue } from '../issues/visible-issue';
import { renderChangelogEntry } from '../render/render-changelog';
import type { ChangelogEntry } from '../site/site-model';
import type { RouteDeps } from './route-deps';
import { renderPageBean } from '../render/render-page-bean';

/** Issue history: one issue, paged oldest first; or many issues at once (the bulk fetch pollers use). */
export function mountChangelogRoutes({ router, state }: RouteDeps): void {
  router.get('/rest/api/3/issue/:issueIdOrKey/changelog', 'read:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = Math.min(queryInt(query.maxResults, 100, 'maxResults'), 100);
    return renderPageBean(issue.changelog, { startAt, maxResults, baseUrl: `${state.site.url}/rest/api/3/issue/${issue.key}/changelog` }, (entry) =>
      renderChangelogEntry(state, entry),
    );
  });

  router.post('/rest/api/3/changelog/bulkfetch', 'read:jira-work', ({ auth, body }) => {
    const input = (body ?? {}) as { issueIdsOrKeys?: unknown; fieldIds?: unknown; maxResults?: unknown; nextPageToken?: unknown };
    if (!Array.isArray(input.issueIdsOrKeys) || input.issueIdsOrKeys.length === 0) {
      throw JiraError.badRequest({}, ['issueIdsOrKeys must contain at least one issue.']);
    }
    if (input.issueIdsOrKeys.length > 1000) throw JiraError.badRequest({}, ['issueIdsOrKeys can contain at most 1000 issues.']);
    const fieldIds = Array.isArray(input.fieldIds) ? new Set(input.fieldIds.map(String)) : undefined;
    const maxResults = typeof input.maxResults === 'number' ? Math.min(Math.max(1, input.maxResults), 10_000) : 1000;
    const offset = typeof input.nextPageToken === 'string' ? Number(Buffer.from(input.nextPageToken, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw JiraError.badRequest({}, ['The provided next page token is invalid or expired.']);
    // Unknown or hidden issues are left out, as Jira does for bulk reads.
    const histories = input.issueIdsOrKeys
      .map((ref) => state.issue(String(ref)))
      .filter((issue) => !!issue && state.canBrowse(auth.accountId, issue))
      .flatMap((issue) =>
        issue!.changelog
          .map((entry): ChangelogEntry => ({ ...entry, items: entry.items.filter((item) => !fieldIds || fieldIds.has(item.fieldId)) }))
          .filter((entry) => entry.items.length > 0)
          .map((entry) => ({ issueId: issue!.id, entry })),
      );
    const page = histories.slice(offset, offset + maxResults);
    const byIssue = new Map<string, Array<Record<string, unknown>>>();
    for (const { issueId, entry } of page) byIssue.set(issueId, [...(byIssue.get(issueId) ?? []), renderChangelogEntry(state, entry)]);
    const next = offset + page.length < histories.length ? Buffer.from(String(offset + page.length)).toString('base64url') : undefined;
    return {
      status: 200,
      body: {
        issueChangeLogs: [...byIssue].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
        ...(next ? { nextPageToken: next } : {}),
      },
      objects: page.length,
    };
  });
}
