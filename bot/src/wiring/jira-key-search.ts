import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { searchAllIssues } from '../jira/operations/search';
import { batchedKeyJql, type JqlKeySearch } from '../alerts/subscription-matcher';
import { issueSnapshot } from '../alerts/normalize-jira-webhook';
import type { IssueSnapshot } from '../alerts/issue-event';
import type { SiteDirectory } from './site-directory';

/** What thin webhook events lack, and what a snapshot reads. */
const SNAPSHOT_FIELDS = ['summary', 'status', 'priority', 'issuetype', 'project', 'assignee', 'reporter', 'labels', 'updated'];

/** Jira accepts at most 50 `reconcileIssues` per search, so keys go in batches of 50. */
const BATCH = 50;

/**
 * The matcher's remote half: one `key in (...) AND (jql)` search per 50 issues, as the site's
 * subscription owner, in the background. The issues are named in `reconcileIssues` so Jira
 * judges them as they are now, not as its lagging search index last saw them.
 */
export function jiraKeySearch(sites: Pick<SiteDirectory, 'backgroundJira'>): JqlKeySearch {
  const clientFor = async (site: string) => {
    const client = await sites.backgroundJira(site);
    if (!client) throw new JiraError(JiraErrorCode.Unavailable, { detail: 'No subscription owner of this site has a working Jira connection.' });
    return client;
  };
  return {
    async currentIssues(site, issueIds) {
      const client = await clientFor(site);
      const found: IssueSnapshot[] = [];
      const ids = issueIds.map(Number).filter((id) => Number.isSafeInteger(id));
      for (let start = 0; start < ids.length; start += BATCH) {
        const batch = ids.slice(start, start + BATCH);
        // A search, not one GET per issue: one call per 50, and a deleted issue is simply not found.
        const issues = await searchAllIssues(client.jira, {
          jql: `id in (${batch.join(', ')})`,
          fields: SNAPSHOT_FIELDS,
          maxResults: BATCH,
          method: 'POST',
          reconcileIssues: batch,
        });
        for (const issue of issues) {
          const snapshot = issueSnapshot(issue as unknown as Record<string, unknown>, site);
          if (snapshot) found.push(snapshot);
        }
      }
      return found;
    },
    async keysMatching(site, keys, jql, reconcileIds = []) {
      const client = await clientFor(site);
      const found = new Set<string>();
      for (let start = 0; start < keys.length; start += BATCH) {
        const batch = keys.slice(start, start + BATCH);
        const ids = reconcileIds
          .slice(start, start + BATCH)
          .map(Number)
          .filter((id) => Number.isSafeInteger(id));
        const search = (reconcileIssues: number[]) =>
          searchAllIssues(client.jira, { jql: batchedKeyJql(batch, jql), fields: ['id'], maxResults: BATCH, method: 'POST', reconcileIssues });
        let issues;
        try {
          issues = await search(ids);
        } catch (error) {
          // Jira refuses reconcileIssues naming an issue that no longer exists (deleted since the
          // webhook): ask again without, rather than read the refusal as a bad JQL.
          if (!(ids.length > 0 && error instanceof JiraError && error.code === JiraErrorCode.BadRequest)) throw error;
          issues = await search([]);
        }
        for (const issue of issues) if (issue.key) found.add(issue.key);
      }
      return found;
    },
  };
}
